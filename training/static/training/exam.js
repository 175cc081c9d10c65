// Countdown of an online exam. The server's clock decides: when the time shown reaches zero the
// form is handed in with the answers on the page; answers that arrive after the grace period are
// refused by the server and the exam is closed with the answers saved in time.
(function () {
  "use strict";
  var timer = document.getElementById("exam-timer");
  var form = document.querySelector("form[data-exam-form]");
  if (!timer || !form) { return; }
  var end = Date.now() + parseInt(timer.getAttribute("data-remaining"), 10) * 1000;
  var sent = false;
  function handIn() {
    if (sent) { return; }
    sent = true;
    var action = document.createElement("input");
    action.type = "hidden"; action.name = "action"; action.value = "submit";
    form.appendChild(action);
    form.submit();
  }
  form.addEventListener("submit", function () { sent = true; });
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    timer.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left <= 0) { handIn(); return; }
    window.setTimeout(tick, 500);
  }
  tick();
}());
