// Copy to clipboard and keep the mailto: link in step with the edited draft. The page
// works without this script: the link and text can be copied by hand.
(function () {
  "use strict";
  function enc(s) { return encodeURIComponent(s); }
  var subject = document.querySelector("[data-mail=subject]");
  var body = document.querySelector("[data-mail=body]");
  var mailto = document.getElementById("mailto");
  var warning = document.getElementById("link-warning");
  function sync() {
    if (!subject || !body || !mailto) return;
    var link = body.getAttribute("data-link") || "";
    var ok = body.value.indexOf(link) !== -1;
    if (warning) warning.hidden = ok;
    mailto.setAttribute("aria-disabled", ok ? "false" : "true");
    mailto.href = "mailto:" + enc(mailto.getAttribute("data-to") || "") + "?subject=" + enc(subject.value) + "&body=" + enc(body.value);
  }
  if (subject && body) { subject.addEventListener("input", sync); body.addEventListener("input", sync); }
  if (mailto) mailto.addEventListener("click", function (e) { if (mailto.getAttribute("aria-disabled") === "true") e.preventDefault(); });
  // "Copy link": copies one field's value.
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy-value]"), function (b) {
    b.addEventListener("click", function () {
      var field = document.getElementById(b.getAttribute("data-copy-value"));
      var status = document.getElementById("copy-status");
      if (!field) return;
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) status.textContent = status.getAttribute("data-copied") || "";
      }, function () {
        field.select();
        if (status) status.textContent = status.getAttribute("data-failed") || "";
      });
    });
  });
  var copy = document.getElementById("copy");
  var status = document.getElementById("copy-status");
  if (copy) copy.addEventListener("click", function () {
    var target = document.getElementById(copy.getAttribute("data-copy"));
    if (!target) return;
    var text = (subject ? subject.value + "\n\n" : "") + target.value;
    if (body && body.value.indexOf(body.getAttribute("data-link") || "") === -1) {
      if (status) status.textContent = status.getAttribute("data-link-missing") || "";
      return;
    }
    navigator.clipboard.writeText(text).then(function () {
      if (status) status.textContent = status.getAttribute("data-copied") || "";
    }, function () {
      target.select();
      if (status) status.textContent = status.getAttribute("data-failed") || "";
    });
  });
})();
