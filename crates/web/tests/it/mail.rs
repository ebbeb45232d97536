//! E-mail from the outbox to a real SMTP server: retries while the server is away, one
//! delivery once it answers, a refusal given up and reported, the delivery loop woken by
//! a commit, and sign-up e-mails throttled per recipient.

use std::time::Duration;

use accord_domain::Locale;
use accord_service::outbox::{MailTransport, Mailer};
use accord_service::NewOrganisation;
use accord_test_support::smtp::MailSink;
use serde_json::json;

use crate::support::*;

fn org(n: &str, email: &str) -> NewOrganisation {
    NewOrganisation {
        name: format!("Mail {n}"),
        domain: format!("mail-{n}.example"),
        country: "US".into(),
        admin_name: "Admin".into(),
        admin_email: email.into(),
        admin_password: "a long password".into(),
        locale: Locale::En,
    }
}

async fn invitation(app: &TestApp) -> String {
    let gov = app.token(PARTNER_GOV).await;
    app.request(&gov, json!({"include_admin_privileges": true}))
        .await
        .1
}

fn mailer(url: String) -> Mailer {
    Mailer::new(&MailTransport::Smtp(url), "Accord <no-reply@accord.test>").unwrap()
}

#[tokio::test]
async fn mail_waits_for_the_server_and_is_then_delivered_once() {
    let app = TestApp::new().await;
    let token = invitation(&app).await;
    // A port that nothing listens on.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let down = mailer(format!("smtp://{addr}"));
    app.accord
        .sign_up_from_invitation(&token, &org("a", "a@mail-a.example"), "test")
        .await
        .unwrap();
    let pass = app.accord.deliver_due_mail(&down).await.unwrap();
    assert_eq!((pass.delivered, pass.retried, pass.failed), (0, 1, 0));
    assert_eq!(
        app.accord.deliver_due_mail(&down).await.unwrap().handled(),
        0
    );
    let counts = app.accord.outbox_counts().await.unwrap();
    assert_eq!((counts.waiting, counts.failed), (1, 0), "kept, not lost");

    let sink = MailSink::start_on(addr).await;
    app.clock.advance(chrono::Duration::seconds(29));
    assert_eq!(
        app.accord.deliver_due_mail(&down).await.unwrap().handled(),
        0,
        "the first retry waits 30 seconds"
    );
    app.clock.advance(chrono::Duration::seconds(1));
    let pass = app.accord.deliver_due_mail(&down).await.unwrap();
    assert_eq!(pass.delivered, 1);
    let m = sink.next(Duration::from_secs(5)).await.expect("delivered");
    assert_eq!(m.to, ["a@mail-a.example"]);
    assert!(m.header("Message-ID").unwrap().contains("@accord.test"));
    app.clock.advance(chrono::Duration::hours(2));
    assert_eq!(
        app.accord.deliver_due_mail(&down).await.unwrap().handled(),
        0
    );
    assert!(sink.drain().await.is_empty(), "delivered once");
    let counts = app.accord.outbox_counts().await.unwrap();
    assert_eq!((counts.waiting, counts.failed), (0, 0));
}

#[tokio::test]
async fn a_refused_recipient_is_given_up_at_once_and_reported() {
    let app = TestApp::new().await;
    let token = invitation(&app).await;
    app.mail.refuse_recipients();
    app.accord
        .sign_up_from_invitation(&token, &org("b", "nobody@mail-b.example"), "test")
        .await
        .unwrap();
    assert!(app.deliver_mail().await.is_empty());
    let counts = app.accord.outbox_counts().await.unwrap();
    assert_eq!((counts.waiting, counts.failed), (0, 1));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM operator_events WHERE action = 'email.failed' AND details LIKE '%550%'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%/confirm/%' OR payload LIKE '%\"args\"%'")
            .await,
        0,
        "a message given up keeps no link"
    );
}

#[tokio::test]
async fn the_delivery_loop_sends_what_a_commit_queues() {
    let app = TestApp::new().await;
    let token = invitation(&app).await;
    let sink = MailSink::start().await;
    let accord = app.accord.clone();
    let m = mailer(sink.url());
    let worker = tokio::spawn(async move { accord.run_mail_delivery(m).await });
    app.accord
        .sign_up_from_invitation(&token, &org("c", "c@mail-c.example"), "test")
        .await
        .unwrap();
    let got = sink.next(Duration::from_secs(20)).await.expect("delivered");
    assert!(got.subject().contains("Mail c"));
    worker.abort();
}

#[tokio::test]
async fn sign_up_mail_to_one_address_is_throttled() {
    let app = TestApp::new().await;
    let token = invitation(&app).await;
    for i in 0..5 {
        app.accord
            .sign_up_from_invitation(
                &token,
                &org(&format!("t{i}"), "t@mail-t.example"),
                "192.0.2.1",
            )
            .await
            .unwrap();
    }
    let e = app
        .accord
        .sign_up_from_invitation(&token, &org("t5", "T@MAIL-T.example"), "192.0.2.1")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "too_many_attempts");
    // A form refused before sending does not count against anyone.
    let mut bad = org("u", "u@mail-u.example");
    bad.admin_password = "short".into();
    for _ in 0..10 {
        let e = app
            .accord
            .sign_up_from_invitation(&token, &bad, "192.0.2.2")
            .await
            .unwrap_err();
        assert_eq!(e.code(), "invalid_input");
    }
    assert_eq!(app.deliver_mail().await.len(), 5);
}
