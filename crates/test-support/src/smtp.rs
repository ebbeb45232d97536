//! A real SMTP server on loopback that keeps what it receives, for tests that follow an
//! e-mail from the outbox to the inbox. It speaks enough of RFC 5321 for a client such
//! as lettre (EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) and can
//! be told to refuse recipients (`550`) or to go away (connections refused).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// One message as received.
#[derive(Clone, Debug)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// The raw message (headers and encoded body).
    pub data: String,
}

impl ReceivedMail {
    fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("a parseable message")
    }

    /// The subject, decoded.
    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_string()
    }

    /// The plain-text body, decoded.
    pub fn body(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|b| b.replace("\r\n", "\n"))
            .unwrap_or_default()
    }

    /// A header's raw value.
    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed().header_raw(name).map(|v| v.trim().to_string())
    }

    /// The first link in the body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let body = self.body();
        let i = body.find(prefix)?;
        Some(
            body[i..]
                .split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or_default()
                .to_string(),
        )
    }
}

#[derive(Default)]
struct Behaviour {
    refuse_recipients: bool,
}

/// The server. Dropping it stops accepting connections.
pub struct MailSink {
    addr: SocketAddr,
    received: tokio::sync::Mutex<mpsc::UnboundedReceiver<ReceivedMail>>,
    behaviour: Arc<Mutex<Behaviour>>,
    task: tokio::task::JoinHandle<()>,
}

impl MailSink {
    /// Starts on a free loopback port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener)
    }

    /// Starts on `addr` (a port chosen before, e.g. one a client was told about while the
    /// server was down).
    pub async fn start_on(addr: SocketAddr) -> Self {
        let listener = TcpListener::bind(addr).await.unwrap();
        Self::serve(listener)
    }

    fn serve(listener: TcpListener) -> Self {
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = mpsc::unbounded_channel();
        let behaviour = Arc::new(Mutex::new(Behaviour::default()));
        let b = behaviour.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let tx = tx.clone();
                let b = b.clone();
                tokio::spawn(async move {
                    let _ = session(stream, tx, b).await;
                });
            }
        });
        Self {
            addr,
            received: tokio::sync::Mutex::new(rx),
            behaviour,
            task,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to give Accord (`smtp_url`).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Answer `550` to every recipient from now on.
    pub fn refuse_recipients(&self) {
        self.behaviour.lock().unwrap().refuse_recipients = true;
    }

    /// The next message, waiting up to `wait`.
    pub async fn next(&self, wait: Duration) -> Option<ReceivedMail> {
        let mut rx = self.received.lock().await;
        tokio::time::timeout(wait, rx.recv()).await.ok().flatten()
    }

    /// Every message received so far, without waiting.
    pub async fn drain(&self) -> Vec<ReceivedMail> {
        let mut rx = self.received.lock().await;
        let mut v = Vec::new();
        while let Ok(m) = rx.try_recv() {
            v.push(m);
        }
        v
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn address(arg: &str) -> String {
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg.rfind('>').unwrap_or(arg.len());
    arg[start..end.max(start)].to_string()
}

async fn session(
    stream: TcpStream,
    out: mpsc::UnboundedSender<ReceivedMail>,
    behaviour: Arc<Mutex<Behaviour>>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let verb = cmd
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" | "NOOP" => b"250 ok\r\n",
            "RSET" => {
                from.clear();
                to.clear();
                b"250 ok\r\n"
            }
            "MAIL" => {
                from = address(&cmd);
                b"250 ok\r\n"
            }
            "RCPT" => {
                if behaviour.lock().unwrap().refuse_recipients {
                    b"550 5.1.1 no such user here\r\n"
                } else {
                    to.push(address(&cmd));
                    b"250 ok\r\n"
                }
            }
            "DATA" => {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    let l = line.strip_prefix('.').unwrap_or(&line);
                    data.push_str(l);
                }
                let _ = out.send(ReceivedMail {
                    from: std::mem::take(&mut from),
                    to: std::mem::take(&mut to),
                    data,
                });
                b"250 2.0.0 queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}
