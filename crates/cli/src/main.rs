//! `accord`, the command line: run the server, migrate the database, seed the demo world,
//! and the operator's tasks (tenants, users, tokens, agreements, regions).
//!
//! Configuration comes from defaults, then `accord.toml`, then `ACCORD_*` environment
//! variables, then flags, each overriding the one before; unknown keys are rejected.

mod config;

// A small-object allocator: the request path allocates many short strings (JSON, headers),
// and glibc's malloc showed as a tenth of the server's time in profiles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use accord_domain::{Cloud, Role};
use accord_service::{demo, Accord, NewTenant, NewUser, SystemClock};
use accord_store::SqlStore;
use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};

use crate::config::Settings;

#[derive(Parser, Debug)]
#[command(
    name = "accord",
    version,
    about = "Partner relationships and delegated administration"
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
pub struct GlobalArgs {
    /// Directory for the SQLite database and accord.toml (created if missing).
    #[arg(long, global = true, env = "ACCORD_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL (sqlite://… or postgres://…); overrides the data directory's SQLite file.
    #[arg(
        long,
        global = true,
        env = "ACCORD_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Configuration file (default: DATA_DIR/accord.toml if it exists).
    #[arg(long, global = true, env = "ACCORD_CONFIG")]
    pub config: Option<PathBuf>,
}

impl std::fmt::Debug for GlobalArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GlobalArgs")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(accord_store::redact_url),
            )
            .field("config", &self.config)
            .finish()
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (portals and API).
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Seed the demo world into an empty database and print its sign-ins; with
    /// `--partners N`, add N synthetic partners with published directory profiles
    /// (into an empty or an existing database).
    Demo(DemoArgs),
    /// Manage tenants (organisations).
    #[command(subcommand)]
    Tenant(TenantCmd),
    /// Manage users.
    #[command(subcommand)]
    User(UserCmd),
    /// Manage personal access tokens for the API.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Publish the customer agreement.
    #[command(subcommand)]
    Agreement(AgreementCmd),
    /// Edit the country → region table.
    #[command(subcommand)]
    Region(RegionCmd),
    /// Set each cloud's customer portal (name and link base URL).
    #[command(subcommand)]
    Cloud(CloudCmd),
    /// Set what a partner organisation may offer.
    #[command(subcommand)]
    Partner(PartnerCmd),
    /// Keep the product catalogue.
    #[command(subcommand)]
    Product(ProductCmd),
    /// Work the service-request queue.
    #[command(subcommand, name = "service-request")]
    ServiceRequest(ServiceRequestCmd),
    /// See and remove partners' delegated access to a customer's directory.
    #[command(subcommand)]
    Access(AccessCmd),
    /// The latest delegated actions in a customer's directory, newest first.
    #[command(name = "partner-activity")]
    PartnerActivity {
        /// The customer's domain.
        #[arg(long)]
        customer: String,
        /// Only this partner's (its domain).
        #[arg(long)]
        partner: Option<String>,
        /// Only this agent's (its e-mail address).
        #[arg(long)]
        agent: Option<String>,
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
    },
    /// Show e-mail waiting for delivery and the messages given up.
    Outbox {
        /// How many of the latest messages given up to list.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
        failed: u32,
    },
}

#[derive(Args, Debug)]
struct DemoArgs {
    /// Add this many synthetic partners with published profiles (1,000,000 loads in
    /// minutes).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=5_000_000))]
    partners: Option<u64>,
    /// The synthetic partners' seed: the same seed gives the same partners.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ACCORD_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// The externally visible base URL, used in invitation links.
    #[arg(long, env = "ACCORD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Seed the demo world if the database is empty, and print the demo sign-ins.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Subcommand, Debug)]
enum TenantCmd {
    /// Create a tenant and print its id.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        domain: String,
        /// ISO 3166-1 alpha-2 country code.
        #[arg(long)]
        country: String,
        /// public, usgov, germany or china.
        #[arg(long, default_value = "public")]
        cloud: String,
        /// The tenant is a partner organisation.
        #[arg(long)]
        partner: bool,
    },
    /// List organisations by name (tab-separated: id, name, domain, kind, country, cloud).
    List {
        /// Keep those whose name or domain holds this text.
        #[arg(long)]
        q: Option<String>,
        /// Keep only partners or only customers.
        #[arg(long, value_parser = ["partner", "customer"])]
        kind: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum CloudCmd {
    /// Show each cloud's customer portal (tab-separated: cloud, portal name, base URL,
    /// where the setting comes from).
    List,
    /// Set a cloud's portal name and the base URL of links (empty: the public URL).
    Set {
        /// public, usgov, germany or china.
        #[arg(long)]
        cloud: String,
        #[arg(long)]
        portal_name: String,
        #[arg(long, default_value = "")]
        base_url: String,
    },
}

#[derive(Subcommand, Debug)]
enum UserCmd {
    /// Create a user in a tenant and print its id.
    Create {
        /// The tenant's domain.
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        /// At least 10 characters.
        #[arg(long, env = "ACCORD_USER_PASSWORD", hide_env_values = true)]
        password: String,
        /// Directory role (global_admin, user_admin, …) or partner role (partner_admin,
        /// admin_agent, …); repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Display name (default: the e-mail's local part).
        #[arg(long)]
        name: Option<String>,
    },
    /// Disable a user: sign-in, sessions and tokens stop working at once.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled user again.
    Enable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand, Debug)]
enum AccessCmd {
    /// Each partner of a customer: its grant (roles, status, end) and who holds which roles.
    List {
        /// The customer's domain.
        #[arg(long)]
        customer: String,
    },
    /// Remove a partner's access in a customer — access assignments and guest accounts —
    /// for one of its users (--agent) or all (--all). Refused on every node within a
    /// second; the grant stays.
    Remove {
        #[arg(long)]
        customer: String,
        /// The partner's domain.
        #[arg(long)]
        partner: String,
        /// The agent's e-mail address.
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        agent: Option<String>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand, Debug)]
enum TokenCmd {
    /// Create a personal access token for a user; it is printed once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
        /// Lifetime in days, 1 to 3650 (default: no expiry).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: Option<u32>,
    },
    /// List a user's tokens (ids, names, dates; never the secrets).
    List {
        #[arg(long)]
        email: String,
    },
    /// Revoke one token (--id) or all of a user's tokens (--all); effective at once.
    Revoke {
        #[arg(long)]
        email: String,
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        id: Option<String>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand, Debug)]
enum AgreementCmd {
    /// Publish a new version of the customer agreement from a text file.
    Publish {
        #[arg(long)]
        title: String,
        #[arg(long)]
        file: PathBuf,
    },
    /// Show the current version.
    Show,
}

#[derive(Subcommand, Debug)]
enum PartnerCmd {
    /// Set the partner types a partner may offer in its requests (replaces the list).
    Types {
        /// The partner's domain.
        #[arg(long)]
        domain: String,
        /// Comma-separated: reseller, delegated_admin, partner, admin, mpsa, oem_pc, lob.
        #[arg(long, value_delimiter = ',', required = true)]
        types: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ProductCmd {
    /// Add a product or change one (the code identifies it).
    Put {
        /// The product code, such as M365-BP.
        #[arg(long)]
        sku: String,
        #[arg(long)]
        name: String,
        /// per_seat or per_subscription.
        #[arg(long, default_value = "per_seat")]
        billing: String,
        /// The most seats one subscription may have (per-seat products).
        #[arg(long, default_value_t = 300)]
        max_quantity: u32,
        /// Comma-separated clouds it is sold in: public, usgov, germany, china.
        #[arg(long, value_delimiter = ',', default_value = "public")]
        clouds: Vec<String>,
        /// Stop selling it (existing subscriptions keep it).
        #[arg(long)]
        retired: bool,
    },
    /// List the catalogue.
    List,
}

#[derive(Subcommand, Debug)]
enum ServiceRequestCmd {
    /// List the queue, newest first.
    List {
        /// new, in_progress, resolved or closed (default: all).
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=200))]
        limit: u32,
    },
    /// Show one request with its comments.
    Show {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        id: String,
    },
    /// Move a request through the queue and/or comment on it.
    Update {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        id: String,
        /// in_progress, resolved or closed.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        comment: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum RegionCmd {
    /// Set a country's region.
    Set {
        #[arg(long)]
        country: String,
        #[arg(long)]
        region: String,
    },
    /// List the table.
    List,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Every change this command makes is audited under one request id.
    let request_id = format!("cli-{}", uuid::Uuid::now_v7());
    match runtime.block_on(accord_service::with_request_id(request_id, run(cli))) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn open(settings: &Settings) -> anyhow::Result<(Accord, SqlStore)> {
    let store = SqlStore::open(&settings.store_options())
        .await
        .with_context(|| format!("cannot open the database {}", settings.database_display()))?;
    let accord = Accord::new(
        Arc::new(store.clone()),
        Arc::new(SystemClock),
        settings.service.clone(),
    );
    Ok((accord, store))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let serve = match &cli.command {
        Command::Serve(a) => Some(a),
        _ => None,
    };
    let settings = Settings::load(&cli.global, serve)?;
    init_logging(&settings.log);
    match cli.command {
        Command::Serve(args) => serve_cmd(settings, args.demo).await,
        Command::Migrate => {
            let (_, store) = open(&settings).await?;
            store.close().await;
            println!("database is up to date ({})", settings.database_display());
            Ok(())
        }
        Command::Outbox { failed } => {
            let (accord, store) = open(&settings).await?;
            let counts = accord.outbox_counts().await?;
            println!(
                "{} message(s) waiting for delivery, {} given up",
                counts.waiting, counts.failed
            );
            for m in accord.failed_outbox(failed).await? {
                println!(
                    "{}  {}  tenant {}  {}  after {} attempt(s): {}",
                    m.failed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    m.id,
                    m.tenant_id,
                    m.payload
                        .get("template")
                        .and_then(|v| v.as_str())
                        .unwrap_or(&m.kind),
                    m.attempts,
                    m.last_error.unwrap_or_default()
                );
            }
            store.close().await;
            Ok(())
        }
        Command::Demo(args) => {
            let (accord, store) = open(&settings).await?;
            let empty = accord.is_empty().await?;
            if empty {
                print_demo(&demo::seed(&accord).await?);
            } else if args.partners.is_none() {
                bail!("the database already holds data; the demo world is only seeded into an empty database");
            }
            if let Some(n) = args.partners {
                let n = n as usize;
                let started = std::time::Instant::now();
                let mut last = 0;
                let written = demo::seed_partners(&accord, args.seed, n, |done| {
                    if done >= last + 100_000 || done == n {
                        last = done;
                        eprintln!("{done} of {n} partners written");
                    }
                })
                .await?;
                println!(
                    "Added {written} synthetic partners with published profiles in {:.1} s (seed {}); every server rebuilds its directory index from them.",
                    started.elapsed().as_secs_f64(),
                    args.seed
                );
            }
            store.close().await;
            Ok(())
        }
        Command::Tenant(TenantCmd::Create {
            name,
            domain,
            country,
            cloud,
            partner,
        }) => {
            let (accord, store) = open(&settings).await?;
            let cloud: Cloud = cloud.parse()?;
            let t = accord
                .local_operator()
                .create_tenant(&NewTenant {
                    name,
                    domain,
                    country,
                    cloud,
                    is_partner: partner,
                })
                .await?;
            println!("{}", t.id);
            store.close().await;
            Ok(())
        }
        Command::User(UserCmd::Create {
            tenant,
            email,
            password,
            roles,
            name,
        }) => {
            let roles = roles
                .iter()
                .map(|r| r.parse::<Role>())
                .collect::<Result<Vec<_>, _>>()?;
            let (accord, store) = open(&settings).await?;
            let id = accord
                .local_operator()
                .create_user(
                    &tenant,
                    &NewUser {
                        email,
                        display_name: name,
                        password,
                        roles,
                    },
                )
                .await?;
            println!("{id}");
            store.close().await;
            Ok(())
        }
        Command::User(UserCmd::Disable { email }) => {
            let (accord, store) = open(&settings).await?;
            accord
                .local_operator()
                .set_user_disabled(&email, true)
                .await?;
            println!("disabled {email}");
            store.close().await;
            Ok(())
        }
        Command::User(UserCmd::Enable { email }) => {
            let (accord, store) = open(&settings).await?;
            accord
                .local_operator()
                .set_user_disabled(&email, false)
                .await?;
            println!("enabled {email}");
            store.close().await;
            Ok(())
        }
        Command::Access(AccessCmd::List { customer }) => {
            let (accord, store) = open(&settings).await?;
            let partners = accord.local_operator().customer_access(&customer).await?;
            if partners.is_empty() {
                println!("{customer} has no partner.");
            }
            for p in &partners {
                let r = &p.relationship;
                let roles = |v: &[accord_domain::DirectoryRole]| {
                    if v.is_empty() {
                        "none".to_string()
                    } else {
                        v.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
                    }
                };
                let status = r
                    .admin_status
                    .map_or("no grant".to_string(), |s| s.to_string());
                let ends = match (r.admin_ends_at, r.auto_extend) {
                    (Some(e), true) => format!("ends {} (auto-extends)", e.to_rfc3339()),
                    (Some(e), false) => format!("ends {}", e.to_rfc3339()),
                    (None, _) => "no end".into(),
                };
                println!(
                    "{} ({})\tgrant {status}\troles {}\t{ends}",
                    r.name,
                    r.counterpart_id,
                    roles(&r.admin_roles)
                );
                if !r.pending_roles.is_empty() {
                    println!("  awaiting consent: {}", roles(&r.pending_roles));
                }
                if p.assignments.is_empty() {
                    println!("  nobody assigned");
                }
                for a in &p.assignments {
                    let inactive = if a.inactive_roles.is_empty() {
                        String::new()
                    } else {
                        format!("\tnot granted: {}", roles(&a.inactive_roles))
                    };
                    println!(
                        "  {} <{}>\t{}{inactive}",
                        a.agent_name,
                        a.agent_email,
                        roles(&a.roles)
                    );
                }
                for g in &p.guests {
                    println!(
                        "  guest {} <{}>\t{}",
                        g.display_name,
                        g.email,
                        roles(&g.roles)
                    );
                }
            }
            store.close().await;
            Ok(())
        }
        Command::Access(AccessCmd::Remove {
            customer,
            partner,
            agent,
            all: _,
        }) => {
            let (accord, store) = open(&settings).await?;
            let n = accord
                .local_operator()
                .remove_customer_access(&customer, &partner, agent.as_deref())
                .await?;
            println!(
                "Removed {n} access assignment(s) and guest account(s) of {partner} in {customer}."
            );
            store.close().await;
            Ok(())
        }
        Command::PartnerActivity {
            customer,
            partner,
            agent,
            limit,
        } => {
            let (accord, store) = open(&settings).await?;
            let rows = accord
                .local_operator()
                .customer_partner_activity(&customer, partner.as_deref(), agent.as_deref(), limit)
                .await?;
            println!("WHEN\tPARTNER\tAGENT\tACTION\tTARGET\tROLES\tOUTCOME");
            for a in &rows {
                let roles: Vec<&str> = a.roles_used.iter().map(|r| r.as_str()).collect();
                let outcome = match &a.error_code {
                    Some(code) => format!("{} ({code})", a.outcome),
                    None => a.outcome.clone(),
                };
                println!(
                    "{}\t{}\t{} <{}>\t{}\t{}\t{}\t{outcome}",
                    a.at.to_rfc3339(),
                    a.partner_name,
                    a.agent_name,
                    a.agent_email,
                    a.action,
                    a.target_label,
                    roles.join(",")
                );
            }
            store.close().await;
            Ok(())
        }
        Command::Token(TokenCmd::List { email }) => {
            let (accord, store) = open(&settings).await?;
            for t in accord.local_operator().list_api_tokens(&email).await? {
                let expires = t
                    .expires_at
                    .map(|e| e.to_rfc3339())
                    .unwrap_or_else(|| "never".into());
                println!(
                    "{}\t{}\tcreated {}\texpires {}",
                    t.id,
                    t.name,
                    t.created_at.to_rfc3339(),
                    expires
                );
            }
            store.close().await;
            Ok(())
        }
        Command::Token(TokenCmd::Revoke { email, id, all: _ }) => {
            let id = id
                .map(|i| {
                    i.parse::<uuid::Uuid>()
                        .with_context(|| format!("{i} is not a token id; see `accord token list`"))
                })
                .transpose()?;
            let (accord, store) = open(&settings).await?;
            let n = accord
                .local_operator()
                .revoke_api_tokens(&email, id)
                .await?;
            println!("revoked {n} token(s)");
            store.close().await;
            Ok(())
        }
        Command::Token(TokenCmd::Create { email, name, days }) => {
            let (accord, store) = open(&settings).await?;
            println!(
                "{}",
                accord
                    .local_operator()
                    .create_api_token(&email, &name, days)
                    .await?
            );
            store.close().await;
            Ok(())
        }
        Command::Agreement(AgreementCmd::Publish { title, file }) => {
            let body = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let (accord, store) = open(&settings).await?;
            let a = accord
                .local_operator()
                .publish_agreement(&title, &body)
                .await?;
            println!("published version {}", a.version);
            store.close().await;
            Ok(())
        }
        Command::Agreement(AgreementCmd::Show) => {
            let (accord, store) = open(&settings).await?;
            match accord.current_agreement().await? {
                Some(a) => println!(
                    "version {} \"{}\" published {}\n\n{}",
                    a.version, a.title, a.published_at, a.body
                ),
                None => println!("no agreement has been published"),
            }
            store.close().await;
            Ok(())
        }
        Command::Region(RegionCmd::Set { country, region }) => {
            let (accord, store) = open(&settings).await?;
            accord
                .local_operator()
                .set_region(&country, &region)
                .await?;
            store.close().await;
            Ok(())
        }
        Command::Partner(PartnerCmd::Types { domain, types }) => {
            let types = types
                .iter()
                .map(|t| t.trim().parse::<accord_domain::PartnerType>())
                .collect::<Result<Vec<_>, _>>()?;
            let (accord, store) = open(&settings).await?;
            let set = accord
                .local_operator()
                .set_offered_types(&domain, &types)
                .await?;
            println!(
                "{}",
                set.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(",")
            );
            store.close().await;
            Ok(())
        }
        Command::Product(ProductCmd::Put {
            sku,
            name,
            billing,
            max_quantity,
            clouds,
            retired,
        }) => {
            let input = accord_service::ProductInput {
                sku,
                name,
                billing: billing.trim().parse()?,
                max_quantity,
                clouds: clouds
                    .iter()
                    .map(|c| c.trim().parse::<accord_domain::Cloud>())
                    .collect::<Result<Vec<_>, _>>()?,
                retired,
            };
            let (accord, store) = open(&settings).await?;
            let p = accord.local_operator().put_product(&input).await?;
            println!("{}\t{}\t{}\t{}", p.sku, p.name, p.billing, p.max_quantity);
            store.close().await;
            Ok(())
        }
        Command::Product(ProductCmd::List) => {
            let (accord, store) = open(&settings).await?;
            println!("SKU\tNAME\tBILLING\tMAX\tCLOUDS\tRETIRED");
            for p in accord.local_operator().products().await? {
                let clouds: Vec<&str> = p.clouds.iter().map(|c| c.as_str()).collect();
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    p.sku,
                    p.name,
                    p.billing,
                    p.max_quantity,
                    clouds.join(","),
                    if p.retired { "yes" } else { "no" }
                );
            }
            store.close().await;
            Ok(())
        }
        Command::ServiceRequest(cmd) => {
            let (accord, store) = open(&settings).await?;
            let op = accord.local_operator();
            let ids = |customer: &str, id: &str| -> anyhow::Result<_> {
                Ok((
                    customer
                        .parse::<accord_domain::TenantId>()
                        .map_err(|_| anyhow::anyhow!("--customer is not an organisation id"))?,
                    id.parse::<accord_domain::ServiceRequestId>()
                        .map_err(|_| anyhow::anyhow!("--id is not a service request id"))?,
                ))
            };
            let show = |r: &accord_service::ServiceRequest| {
                println!(
                    "{}\t{}\t{}\t{}\t{} ({})\t{}\t{}",
                    r.customer_id,
                    r.id,
                    r.status,
                    r.severity,
                    r.customer_name,
                    r.partner_name,
                    r.title,
                    r.created_at
                );
            };
            match cmd {
                ServiceRequestCmd::List { status, limit } => {
                    let status = status
                        .map(|s| s.trim().parse::<accord_domain::ServiceRequestStatus>())
                        .transpose()?;
                    let page = op
                        .service_request_queue(
                            status,
                            &accord_service::PageRequest {
                                cursor: None,
                                limit: Some(limit),
                            },
                        )
                        .await?;
                    println!("CUSTOMER\tID\tSTATUS\tSEVERITY\tCUSTOMER (PARTNER)\tTITLE\tOPENED");
                    for r in &page.items {
                        show(r);
                    }
                }
                ServiceRequestCmd::Show { customer, id } => {
                    let (c, i) = ids(&customer, &id)?;
                    let r = op.service_request(c, i).await?;
                    show(&r);
                    println!("\n{}\n", r.description);
                    for c in &r.comments {
                        println!(
                            "{} {} ({}): {}",
                            c.created_at, c.author_name, c.author_kind, c.body
                        );
                    }
                }
                ServiceRequestCmd::Update {
                    customer,
                    id,
                    status,
                    comment,
                } => {
                    let (c, i) = ids(&customer, &id)?;
                    let status = status
                        .map(|s| s.trim().parse::<accord_domain::ServiceRequestStatus>())
                        .transpose()?;
                    let r = op
                        .update_service_request(c, i, status, comment.as_deref())
                        .await?;
                    show(&r);
                }
            }
            store.close().await;
            Ok(())
        }
        Command::Tenant(TenantCmd::List { q, kind }) => {
            let (accord, store) = open(&settings).await?;
            let desk = accord.local_operator();
            let partner = kind.as_deref().map(|k| k == "partner");
            let mut cursor = None;
            loop {
                let page = desk
                    .tenants(
                        q.as_deref(),
                        partner,
                        &accord_service::PageRequest {
                            cursor,
                            limit: Some(accord_service::MAX_LIMIT),
                        },
                    )
                    .await?;
                for t in page.items {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        t.id,
                        t.name,
                        t.domain,
                        if t.is_partner { "partner" } else { "customer" },
                        t.country,
                        t.cloud
                    );
                }
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
            store.close().await;
            Ok(())
        }
        Command::Cloud(CloudCmd::List) => {
            let (accord, store) = open(&settings).await?;
            for c in accord.local_operator().clouds().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    c.cloud,
                    c.portal_name,
                    c.base_url,
                    if c.set_by_operator {
                        "operator"
                    } else {
                        "configuration"
                    }
                );
            }
            store.close().await;
            Ok(())
        }
        Command::Cloud(CloudCmd::Set {
            cloud,
            portal_name,
            base_url,
        }) => {
            let (accord, store) = open(&settings).await?;
            let c = accord
                .local_operator()
                .set_cloud_portal(cloud.parse()?, &portal_name, &base_url)
                .await?;
            println!("{}\t{}\t{}", c.cloud, c.portal_name, c.base_url);
            store.close().await;
            Ok(())
        }
        Command::Region(RegionCmd::List) => {
            let (accord, store) = open(&settings).await?;
            for (c, r) in accord.local_operator().regions().await? {
                println!("{c}\t{r}");
            }
            store.close().await;
            Ok(())
        }
    }
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn print_demo(signins: &[demo::DemoSignIn]) {
    println!("Demo sign-ins (password for all: {}):", demo::DEMO_PASSWORD);
    for s in signins {
        println!("  {:<36} {:<52} {}", s.email, s.organisation, s.role);
    }
}

async fn serve_cmd(settings: Settings, demo_world: bool) -> anyhow::Result<()> {
    settings.warn_weak_durability();
    // E-mail settings are checked before anything starts. A demo without a mail server
    // writes files.
    accord_service::outbox::sender(&settings.mail_from).map_err(anyhow::Error::msg)?;
    let mail = settings.mail.clone().or_else(|| {
        demo_world.then(|| {
            accord_service::outbox::MailTransport::Directory(settings.data_dir.join("mail"))
        })
    });
    let mailer = match &mail {
        Some(t) => {
            let m = accord_service::outbox::Mailer::new(t, &settings.mail_from)
                .map_err(anyhow::Error::msg)?;
            println!("E-mail goes to {}", m.describe());
            Some(m)
        }
        None => {
            tracing::warn!("e-mail is not configured (smtp_url or mail_dir): messages wait in the outbox until it is");
            None
        }
    };
    let (accord, store) = open(&settings).await?;
    if demo_world {
        if accord.is_empty().await? {
            let signins = demo::seed(&accord).await?;
            print_demo(&signins);
        } else {
            println!("The database already holds data; the demo world was not seeded again.");
            println!("Demo sign-ins, if it was seeded before: password {}; e.g. admin@contoso-kr.example (partner), admin@hanbit.example (customer Global admin).", demo::DEMO_PASSWORD);
        }
    }
    // Follow the change feed: revocations made by other nodes and by the CLI reach this
    // node's caches within the feed's bound.
    let (stop_feed, feed_stopped) = tokio::sync::oneshot::channel::<()>();
    let follower = {
        let accord = accord.clone();
        accord.catch_up().await?;
        tokio::spawn(async move {
            accord
                .follow_changes(async {
                    let _ = feed_stopped.await;
                })
                .await;
        })
    };
    let delivery = mailer.map(|mailer| {
        let accord = accord.clone();
        tokio::spawn(async move { accord.run_mail_delivery(mailer).await })
    });
    let app = accord_web::router(
        accord_web::AppState::new(accord).with_trusted_proxies(settings.trusted_proxies.clone()),
    );
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let addr = listener.local_addr()?;
    println!(
        "Accord is listening on http://{addr} (public URL {}, database {})",
        settings.service.public_url,
        settings.database_display()
    );
    tracing::info!(%addr, backend = store_backend(&store), "listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("shutting down");
    let _ = stop_feed.send(());
    let _ = follower.await;
    if let Some(d) = delivery {
        // A message being sent is sent again after its lease: never lost.
        d.abort();
    }
    store.close().await;
    Ok(())
}

fn store_backend(store: &SqlStore) -> &'static str {
    use accord_store::Store;
    store.backend()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
