// Contest entry page, progressive enhancement only (the form works without it):
// a countdown to the server's deadline, and each answer saved as soon as it is chosen.
(function () {
  'use strict';
  var form = document.querySelector('form.contest-entry');
  if (!form) return;
  var msg = form.dataset;
  var deadline = Date.parse(msg.deadline);
  // The server's clock counts: measure how far this device's clock is from it once, at load.
  var skew = Date.parse(msg.serverNow) - Date.now();
  var timer = form.querySelector('.contest-timer');
  var value = form.querySelector('.contest-timer-value');
  var alertBox = form.querySelector('.contest-timer-alert');
  var warned = false;

  function tick() {
    var left = Math.max(0, Math.round((deadline - (Date.now() + skew)) / 1000));
    var m = Math.floor(left / 60);
    var s = left % 60;
    value.textContent = m + ':' + (s < 10 ? '0' : '') + s;
    if (left <= 60 && !warned && left > 0) {
      warned = true;
      alertBox.textContent = msg.msgOneMinute;
    }
    if (left === 0) {
      timer.classList.add('contest-timer-over');
      alertBox.textContent = msg.msgTimeUp;
      // Once the grace is over the server takes nothing more: show its page saying so (every
      // choice was already saved as it was made).
      setTimeout(
        function () {
          location.reload();
        },
        (Number(msg.grace) + 1) * 1000,
      );
      return;
    }
    setTimeout(tick, 1000 - ((Date.now() + skew) % 1000));
  }
  timer.hidden = false;
  tick();

  var csrf = form.querySelector('input[name=_csrf]').value;
  var url = form.getAttribute('action') + '/answer';

  // One save at a time per question: two quick clicks on a multiple-choice question would
  // otherwise race, and the older choice could arrive last and overwrite the newer one. A change
  // made while a save is on its way is sent when that save returns, with the choices of that moment.
  var pending = {};

  function save(fieldset) {
    var id = fieldset.dataset.question;
    var state = pending[id] || (pending[id] = { busy: false, again: false });
    if (state.busy) {
      state.again = true;
      return;
    }
    state.busy = true;
    var status = document.getElementById('q' + id + '-status');
    var body = new URLSearchParams();
    body.append('_csrf', csrf);
    body.append('questionId', id);
    fieldset.querySelectorAll('input:checked').forEach(function (input) {
      body.append('chosen', input.value);
    });
    status.textContent = '';
    status.className = 'save-status';
    function done(ok, text) {
      state.busy = false;
      if (state.again) {
        state.again = false;
        save(fieldset);
        return;
      }
      status.textContent = text;
      status.className = 'save-status ' + (ok ? 'save-ok' : 'save-failed');
    }
    fetch(url, { method: 'POST', body: body, credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) {
        return res
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            done(res.ok, res.ok ? msg.msgSaved : data.message || msg.msgFailed);
          });
      })
      .catch(function () {
        done(false, msg.msgFailed);
      });
  }

  form.addEventListener('change', function (event) {
    var fieldset = event.target.closest('fieldset[data-question]');
    if (fieldset) save(fieldset);
  });
})();
