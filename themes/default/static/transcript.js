// The transcript and its audio. Timestamps and chapters seek the player; the turn being spoken
// is highlighted and kept in view unless the reader has scrolled elsewhere; `#t=754` (or
// `#t=12:34`) and turn anchors open the page at that moment; every turn offers its link to copy.
// Without JS the page is complete: timestamps and chapters are links to their anchors.
(function () {
  'use strict';
  var audio = document.getElementById('player');
  var turns = [].slice.call(document.querySelectorAll('.transcript .turn'));
  // Turns and chapter headings with a time, in the order they are spoken.
  var moments = [].slice.call(document.querySelectorAll('.transcript [data-seconds]'));
  var timed = moments.filter(function (el) { return el.classList.contains('turn'); });
  var current = null;
  var calm = window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches;

  function seconds(el) { return parseFloat(el.getAttribute('data-seconds')); }

  // `#t=754`, `#t=12:34` or `#t=1:02:03` as seconds; null for any other fragment.
  function timeIn(hash) {
    var m = /^#t=(\d+(?::\d{1,2}){0,2}(?:\.\d+)?)$/.exec(hash);
    if (!m) return null;
    return m[1].split(':').reduce(function (total, part) { return total * 60 + parseFloat(part); }, 0);
  }

  // What is spoken at `t`: the last of `list` that starts at or before it.
  function at(t, list) {
    var found = null;
    for (var i = 0; i < list.length && seconds(list[i]) <= t; i++) found = list[i];
    return found;
  }

  function turnAt(t) { return at(t, timed); }

  function onScreen(el) {
    var r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  }

  function bringIntoView(el) {
    el.scrollIntoView({ block: 'center', behavior: calm ? 'auto' : 'smooth' });
  }

  function highlight() {
    var found = turnAt(audio.currentTime);
    if (found === current) return;
    // Following the audio stops when the reader has scrolled away from it.
    var following = current === null || onScreen(current);
    if (current) {
      current.classList.remove('is-current');
      current.removeAttribute('aria-current');
    }
    if (found) {
      found.classList.add('is-current');
      found.setAttribute('aria-current', 'time');
      if (following && !audio.paused && !onScreen(found)) bringIntoView(found);
    }
    current = found;
  }

  function seek(t, play) {
    // Before the audio is loaded, setting the time records where playing will start; nothing
    // is downloaded until the listener presses play.
    audio.currentTime = t;
    highlight();
    if (play) {
      var started = audio.play();
      if (started && started.catch) started.catch(function () {});
    }
  }

  // Opened at a moment: a time (`#t=754`) or a turn's anchor. The player is cued there, not
  // started, unless it is already playing.
  function openAt() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var t = timeIn(location.hash);
    var target = t === null ? document.getElementById(id) : at(t, moments);
    if (t === null && target && target.hasAttribute('data-seconds')) t = seconds(target);
    if (audio && t !== null && audio.paused) seek(t, false);
    // A turn's anchor is scrolled to by the browser; a time is not an element.
    if (target && timeIn(location.hash) !== null) target.scrollIntoView({ block: 'start' });
  }

  function copyButton(turn) {
    var head = turn.querySelector('.turn-head');
    if (!head || !turn.id) return;
    var speaker = turn.querySelector('.speaker');
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-link';
    var label = function () {
      var hidden = document.createElement('span');
      hidden.className = 'visually-hidden';
      hidden.textContent = ' to this turn' + (speaker ? ' by ' + speaker.textContent : '');
      button.replaceChildren('Copy link', hidden);
    };
    label();
    button.addEventListener('click', function () {
      var url = location.origin + location.pathname + '#' + turn.id;
      var done = function (text) {
        button.textContent = text;
        setTimeout(label, 2000);
      };
      var shown = function () {
        // No clipboard (an insecure origin, a refusal): the link goes to the address bar.
        history.replaceState(null, '', '#' + turn.id);
        done('Link in the address bar');
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () { done('Copied'); }, shown);
      } else {
        shown();
      }
    });
    head.appendChild(button);
  }

  turns.forEach(copyButton);

  if (audio) {
    document.addEventListener('click', function (e) {
      var link = e.target.closest && e.target.closest('a[data-seconds]');
      if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button) return;
      var t = parseFloat(link.getAttribute('data-seconds'));
      if (!isNaN(t)) seek(t, true);
    });
    audio.addEventListener('timeupdate', highlight);
    audio.addEventListener('seeked', highlight);
  }
  openAt();
  window.addEventListener('hashchange', openAt);
})();
