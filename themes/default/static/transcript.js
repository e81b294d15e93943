// Timestamps seek the audio player; the turn being spoken is highlighted while it plays.
// Without JS the timestamps are plain links to each turn's anchor.
(function () {
  var audio = document.getElementById('player');
  if (!audio) return;
  var turns = [].slice.call(document.querySelectorAll('.transcript .turn[data-seconds]')), current = null;
  function seek(t) {
    if (audio.readyState > 0) audio.currentTime = t;
    else audio.addEventListener('loadedmetadata', function () { audio.currentTime = t; }, { once: true });
    var p = audio.play();
    if (p && p.catch) p.catch(function () {});
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-seconds]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
    var t = parseFloat(a.getAttribute('data-seconds'));
    if (!isNaN(t)) seek(t);
  });
  audio.addEventListener('timeupdate', function () {
    var now = audio.currentTime, found = null;
    for (var i = 0; i < turns.length; i++) {
      if (parseFloat(turns[i].getAttribute('data-seconds')) <= now) found = turns[i]; else break;
    }
    if (found === current) return;
    if (current) { current.classList.remove('is-current'); current.removeAttribute('aria-current'); }
    if (found) { found.classList.add('is-current'); found.setAttribute('aria-current', 'time'); }
    current = found;
  });
})();
