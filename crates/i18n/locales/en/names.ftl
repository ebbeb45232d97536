# Names of the product's codes, for people.

cloud-public = Public cloud
cloud-usgov = US Government cloud
cloud-germany = Germany cloud
cloud-china = China cloud

region-asia_pacific = Asia Pacific
region-europe = Europe
region-greater_china = Greater China
region-india = India
region-latin_america = Latin America
region-middle_east_africa = Middle East and Africa
region-north_america = North America

role-global_admin = Global admin
role-billing_admin = Billing admin
role-user_admin = User admin
role-helpdesk_admin = Helpdesk admin
role-license_admin = License admin
role-billing_reader = Billing reader
role-global_reader = Global reader
role-user = User
role-partner_admin = Partner admin
role-admin_agent = Admin agent
role-helpdesk_agent = Helpdesk agent
role-sales_agent = Sales agent
role-operator = Operator

type-reseller = Reseller
type-delegated_admin = Delegated admin
type-partner = Partner
type-admin = Admin
type-mpsa = MPSA partner
type-oem_pc = OEM PC partner
type-lob = LOB (line-of-business) partner
type-reseller_delegated_admin = Reseller & delegated admin

status-pending = Pending
status-accepted = Accepted
status-declined = Declined
status-revoked = Revoked
status-expired = Expired

grant-approval_pending = Approval pending
grant-active = Active
grant-expiring = Expiring
grant-expired = Expired
grant-terminated = Terminated

what-access_token = access token
what-agreements = agreement
what-customer_agreement = customer agreement
what-customer = customer
what-invitation = invitation
what-organisation = organisation
what-partner = partner
what-regions = region
what-relationship_request = relationship request
what-user = user
what-thing = item

field-name = name
field-organisation_name = organisation name
field-domain = domain
field-country = country
field-email = e-mail address
field-password = password
field-role = role
field-q = search text
field-cursor = page cursor
field-body = text
field-admin_name = name
field-admin_email = e-mail address
field-customer_email = customer's e-mail address
field-form = form

word-none = None
word-no-end-date = No end date
word-removed = Removed
word-expired = Expired
word-dash = —
types-joiner = { " & " }
list-joiner = { ", " }

ask-none = no delegated admin privileges
ask-legacy = delegated admin privileges: Global admin in your directory, with no end date
ask-granular = delegated admin privileges: { $roles } for { $days } days{ $auto_extend ->
        [yes] , extended automatically by 180 days
       *[no] {""}
    }
what-page = page

type-desc-reseller = Sells the provider's products to the organisation: buys and provisions subscriptions and licences for it.
type-desc-delegated_admin = Administers the organisation's directory: creates users, assigns and manages licences, resets passwords (Global admin).
type-desc-partner = Is given user accounts in the organisation's directory and works with other services on its behalf.
type-desc-admin = Resets passwords and handles support incidents (helpdesk-level admin).
type-desc-mpsa = Under the multi-partner purchase programme, each of the organisation's MPSA partners sees the purchases made through the others.
type-desc-oem_pc = Uploads the device identities of PCs the organisation enrols in its device management.
type-desc-lob = Develops, submits and manages line-of-business apps for the organisation.
what-subscription = subscription
what-product = product
field-sku = product
field-quantity = quantity
field-billing = billing
field-clouds = clouds
field-max_quantity = most seats
billing-per_seat = Per seat
billing-per_subscription = Per subscription
subscription-status-active = Active
subscription-status-cancelled = Cancelled
what-service_request = service request
field-title = title
field-description = description
field-severity = severity
field-comment = comment
severity-critical = Critical
severity-high = High
severity-moderate = Moderate
severity-low = Low
sr-status-new = New
sr-status-in_progress = In progress
sr-status-resolved = Resolved
sr-status-closed = Closed

what-device = device
what-app = app
what-app_version = app version
field-file = file
field-row = row
field-serial_number = serial number
field-product_id = product id
field-hardware_hash = hardware hash
field-version = version
field-package_url = package URL
field-note = reason
app-status-draft = Draft
app-status-pending_approval = Pending approval
app-status-approved = Approved
app-status-rejected = Rejected
app-status-withdrawn = Withdrawn
app-status-retired = Retired
field-base_url = base URL
field-portal_name = portal name
what-cloud = cloud

capability-users_read = read users and their roles
capability-users_write = create, update, disable and delete users
capability-roles_assign = assign directory roles
capability-passwords_reset_users = reset the passwords of users
capability-passwords_reset_admins = reset the passwords of admins
capability-licenses_read = read licences
capability-licenses_assign = assign and remove licences
capability-billing_read = read subscriptions and billing
capability-billing_manage = buy, change and cancel subscriptions
capability-support_incidents = open and follow support incidents
capability-partners_manage = manage partners
capability-audit_read = read the history and partner activity

activity-directory_user-created = Created a user
activity-directory_user-updated = Changed a user
activity-directory_user-deleted = Deleted a user
activity-directory_user-password_reset = Reset a password
activity-license-assigned = Assigned a licence
activity-license-removed = Removed a licence
outcome-succeeded = Done
outcome-denied = Refused (no role allowed it)
outcome-failed = Failed
what-license = licence
what-access_assignment = access assignment
field-display_name = name
field-roles = roles
field-approved_roles = approved roles
field-agent_id = agent
field-action = action
field-from = from
field-until = until
