-- The agents who have acted in a customer, one row each, so that Partner activity can
-- offer them as a filter without reading every action; kept by the insert of an action.
-- Names are the latest the agent acted under.
CREATE TABLE delegated_agents (
    tenant_id    TEXT    NOT NULL REFERENCES tenants (tenant_id),
    agent_id     TEXT    NOT NULL,
    agent_name   TEXT    NOT NULL,
    agent_email  TEXT    NOT NULL,
    partner_id   TEXT    NOT NULL,
    partner_name TEXT    NOT NULL,
    last_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, agent_id)
);
INSERT INTO delegated_agents (tenant_id, agent_id, agent_name, agent_email, partner_id,
                              partner_name, last_at)
SELECT tenant_id, agent_id, MAX(agent_name), MAX(agent_email), MAX(partner_id),
       MAX(partner_name), MAX(at)
FROM delegated_actions GROUP BY tenant_id, agent_id;

-- Partner activity filtered by agent.
CREATE INDEX delegated_actions_by_agent ON delegated_actions (tenant_id, agent_id, at, action_id);
