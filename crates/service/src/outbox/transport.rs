//! Where e-mails go: an SMTP server (plain, STARTTLS or TLS, with or without credentials),
//! or a directory of `.eml` files for a demo or a machine without a mail server.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::RenderedEmail;

/// How e-mail leaves this node.
#[derive(Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required` (STARTTLS),
    /// `smtps://user:pass@host` (TLS from the start).
    Smtp(String),
    /// One `.eml` file per message in this directory.
    Directory(PathBuf),
}

impl std::fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp(url) => f
                .debug_tuple("Smtp")
                .field(&accord_store::redact_url(url))
                .finish(),
            Self::Directory(p) => f.debug_tuple("Directory").field(p).finish(),
        }
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Directory(AsyncFileTransport<Tokio1Executor>),
}

/// Sends rendered e-mails. Made once at start, so a bad address or URL stops the server
/// there instead of failing every message later.
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
    describe: String,
}

/// Why a message was not sent.
#[derive(Debug)]
pub struct SendFailure {
    /// The server refused it for good (a 5xx answer, a bad address): retrying is useless.
    pub permanent: bool,
    pub message: String,
}

/// Reads the sender setting, e.g. `Accord <no-reply@accord.example>`.
pub fn sender(from: &str) -> Result<Mailbox, String> {
    from.parse()
        .map_err(|e| format!("mail_from {from:?} is not an e-mail address: {e}"))
}

impl Mailer {
    /// `from` is the sender, e.g. `Accord <no-reply@accord.example>`.
    pub fn new(transport: &MailTransport, from: &str) -> Result<Self, String> {
        let from = sender(from)?;
        let (transport, describe) = match transport {
            MailTransport::Smtp(url) => {
                let t = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| {
                        format!(
                            "smtp_url {} cannot be used: {e}",
                            accord_store::redact_url(url)
                        )
                    })?
                    .timeout(Some(Duration::from_secs(30)))
                    .build();
                (
                    Transport::Smtp(t),
                    format!("SMTP {}", accord_store::redact_url(url)),
                )
            }
            MailTransport::Directory(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("mail_dir {} cannot be created: {e}", dir.display()))?;
                (
                    Transport::Directory(AsyncFileTransport::new(dir)),
                    format!("files in {}", dir.display()),
                )
            }
        };
        Ok(Self {
            from,
            transport,
            describe,
        })
    }

    /// Where mail goes, for the log (no password).
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// Sends one message; `message_id` makes a resend recognisable as the same message.
    pub(crate) async fn send(
        &self,
        to: &str,
        email: &RenderedEmail,
        message_id: &str,
    ) -> Result<(), SendFailure> {
        let permanent = |message: String| SendFailure {
            permanent: true,
            message,
        };
        let to: Mailbox = to
            .parse()
            .map_err(|e| permanent(format!("recipient {to:?}: {e}")))?;
        let domain = self.from.email.domain().to_string();
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{message_id}@{domain}>")))
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .map_err(|e| permanent(format!("message: {e}")))?;
        match &self.transport {
            Transport::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| SendFailure {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
            Transport::Directory(t) => t.send(message).await.map(|_| ()).map_err(|e| SendFailure {
                permanent: false,
                message: e.to_string(),
            }),
        }
    }
}
