//! The web layer reaches storage only through the service: its library does not depend
//! on `accord-store` (tests may, to look at what a use case stored).

#[test]
fn the_web_library_does_not_depend_on_the_store() {
    let manifest = include_str!("../../Cargo.toml");
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [dependencies] table");
    assert!(!deps.contains("accord-store"), "{deps}");
    assert!(deps.contains("accord-service"));
}
