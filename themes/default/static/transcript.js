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
  // Opened at a turn (#t-00-12-05, from a search result or a shared link): the player starts
  // there when played. Before any audio is loaded, setting the time only records where to
  // start (the default playback start position): nothing is fetched until the listener presses
  // play. A timestamp's click changes the hash too, after seeking and starting the player,
  // which is then left alone.
  function cue() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var turn = id && document.getElementById(id);
    var t = turn && parseFloat(turn.getAttribute('data-seconds'));
    if (typeof t !== 'number' || isNaN(t) || !audio.paused) return;
    audio.currentTime = t;
  }
  cue();
  window.addEventListener('hashchange', cue);
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
