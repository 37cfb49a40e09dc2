// The operator's console keeps itself up to date: every few seconds it asks for the page
// again with the ETag it has (an unchanged console is a 304 that renders nothing) and
// swaps in the parts marked data-live, except one the operator is typing in.
// These background requests carry "Sportello-Refresh: 1", so they do not count as the
// operator doing something: a console left alone still logs out, and two minutes before
// that it says so. Without JavaScript the console is plain pages and forms.
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root || !window.fetch || !window.DOMParser) return;
  var every = Number(root.getAttribute("data-refresh-seconds")) * 1000;
  var etag = root.getAttribute("data-etag");
  var deadline = Date.now() + Number(root.getAttribute("data-idle-seconds")) * 1000;
  var warning = document.getElementById("idle-warning");
  var left = document.getElementById("idle-left");
  var WARN_MS = 120000;
  var pending = false;

  function typingIn(element) {
    var active = document.activeElement;
    return active && active !== document.body && element.contains(active);
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    Array.prototype.forEach.call(document.querySelectorAll("[data-live]"), function (old) {
      var replacement = fresh.getElementById(old.id);
      if (replacement && !typingIn(old)) old.replaceWith(document.importNode(replacement, true));
    });
  }

  function refresh() {
    if (pending) return;
    pending = true;
    fetch(window.location.href, {
      headers: { "Sportello-Refresh": "1", "If-None-Match": etag },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        if (response.redirected) {  // logged out: the page goes to the login
          window.location.reload();
          return null;
        }
        var idle = response.headers.get("Sportello-Idle-Left");
        if (idle !== null) deadline = Date.now() + Number(idle) * 1000;
        if (response.status !== 200) return null;
        etag = response.headers.get("ETag") || etag;
        return response.text();
      })
      .then(function (html) { if (html) swap(html); })
      .catch(function () {})
      .then(function () { pending = false; });
  }

  function tick() {
    var ms = deadline - Date.now();
    if (ms <= -3000) {  // over: a background request lets the server log out
      refresh();
      return;
    }
    warning.hidden = ms > WARN_MS;
    if (!warning.hidden) {
      var seconds = Math.max(0, Math.ceil(ms / 1000));
      left.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    }
  }

  setInterval(function () { if (!document.hidden) refresh(); }, every);
  setInterval(tick, 1000);
})();
