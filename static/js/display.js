// The waiting-room screen: asks 0.9 s after each answer what was called (a call is then on
// the screen within a second: the pause plus the request in flight; an unchanged answer is
// a 304), redraws the list, and chimes when a new number is called, once a tap has allowed
// sound (browsers refuse sound before a person touches the page). Without JavaScript the
// page reloads itself every 5 seconds instead.
(function () {
  "use strict";
  var main = document.getElementById("main");
  var body = document.getElementById("calls");
  var button = document.getElementById("sound");
  var url = main.getAttribute("data-calls-url");
  var last = null;  // the newest call seen; the first answer only sets it
  var audio = null;

  function chime() {
    if (!audio) return;
    var now = audio.currentTime;
    [660, 880].forEach(function (freq, i) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.25, now + i * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.35 + 0.6);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.35);
      osc.stop(now + i * 0.35 + 0.6);
    });
  }

  function draw(calls) {
    while (body.firstChild) body.removeChild(body.firstChild);
    calls.forEach(function (call, i) {
      var row = document.createElement("tr");
      if (i === 0) row.className = "latest";
      [call.label, call.counter].forEach(function (text) {
        var cell = document.createElement("td");
        cell.textContent = text;
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
    var top = calls.length ? calls[0].label + "|" + calls[0].at : "";
    if (last !== null && top !== last) chime();
    last = top;
  }

  function poll() {
    fetch(url, { cache: "no-cache", credentials: "omit" })
      .then(function (r) { return r.status === 200 ? r.json() : null; })
      .then(function (data) { if (data) draw(data.calls); })
      .catch(function () {})
      .then(function () { setTimeout(poll, 900); });
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx) audio = new Ctx();
    button.hidden = true;
  });
  setTimeout(poll, 1000);
})();
