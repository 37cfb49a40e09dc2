/* Solves the small proof of work a form carries when its address has asked for many SMS
   codes (core/proof.py): find n with sha256(salt + n) == challenge. Without JavaScript the
   server accepts the form after a short wait instead. */
(function () {
  "use strict";
  var field = document.querySelector("input[name=proof_number][data-salt]");
  if (!field || !window.crypto || !crypto.subtle || !window.TextEncoder) return;
  var form = field.form, salt = field.dataset.salt, target = field.dataset.challenge;
  var max = parseInt(field.dataset.max, 10), encoder = new TextEncoder(), BATCH = 400;

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }
  function digest(n) {
    return crypto.subtle.digest("SHA-256", encoder.encode(salt + n)).then(hex);
  }
  function search(from) {
    if (from > max) return Promise.resolve(null);
    var tries = [];
    for (var n = from; n < from + BATCH && n <= max; n++) tries.push(digest(n));
    return Promise.all(tries).then(function (hashes) {
      var found = hashes.indexOf(target);
      return found >= 0 ? from + found : search(from + BATCH);
    });
  }
  var solved = search(0).then(function (n) { if (n !== null) field.value = String(n); });
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (field.value || sending) return;
    event.preventDefault();
    sending = true;
    solved.then(function () { form.submit(); });
  });
})();
