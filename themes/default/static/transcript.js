// The transcript and its audio (or video). A bar at the foot of the window keeps play/pause, the
// time, the current chapter, the speed and a way back to the top within reach however long the
// page; timestamps and chapters seek the player; the turn being spoken is marked and kept in view
// unless the reader has scrolled elsewhere; `#t=754` (or `#t=12:34`) and turn anchors open the
// page at that moment; each turn offers its link to copy. (find.js, loaded before, adds "Find in
// this episode".) Without JS the page is complete: the native player, every turn, and timestamps
// and chapters as links to their anchors.
(function () {
  'use strict';
  var section = document.querySelector('.transcript');
  if (!section) return;
  var audio = document.getElementById('player');
  var toc = document.querySelector('.toc');
  var videoBox = document.querySelector('.video[data-embed]');
  var turns = [].slice.call(section.querySelectorAll('.turn'));
  // Turns and chapter headings with a time, in the order they are spoken.
  var moments = [].slice.call(section.querySelectorAll('[data-seconds]'));
  var calm = window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches;
  var media = null; // the audio, or the embedded video once it is asked for
  var bar = null;
  var current = null;
  var cue = tag('span', 'now-playing', 'Now playing');

  function tag(name, className, text) {
    var el = document.createElement(name);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function seconds(el) { return parseFloat(el.getAttribute('data-seconds')); }

  // The timed turns sorted by time, with the chapter each is in: found by a binary search on
  // every tick of the player, so a page of 2,000 turns costs no more than one of 20.
  var timed = [];
  var chapters = [];
  (function index() {
    var chapter = null;
    [].forEach.call(section.children, function (el) {
      if (el.classList.contains('chapter')) chapters.push(chapter = el);
      else if (el.classList.contains('turn') && el.hasAttribute('data-seconds')) {
        timed.push({ t: seconds(el), el: el, chapter: chapter });
      }
    });
    timed.sort(function (a, b) { return a.t - b.t; });
  })();

  // The index of the last of `list` whose `key` is at or before `value`; -1 if none.
  function lastAtOrBefore(list, value, key) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (key(list[mid]) <= value) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  function spokenAt(t) {
    var i = lastAtOrBefore(timed, t, function (m) { return m.t; });
    return i < 0 ? null : timed[i];
  }

  // `#t=754`, `#t=12:34` or `#t=1:02:03` as seconds; null for any other fragment.
  function timeIn(hash) {
    var m = /^#t=(\d+(?::\d{1,2}){0,2}(?:\.\d+)?)$/.exec(hash);
    if (!m) return null;
    return m[1].split(':').reduce(function (total, part) { return total * 60 + parseFloat(part); }, 0);
  }

  // `754` as `12:34`, `3723` as `1:02:03`.
  function clock(t) {
    if (!isFinite(t)) return '--:--';
    t = Math.floor(t);
    var h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60, s = t % 60;
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    return (h ? h + ':' + two(m) : m) + ':' + two(s);
  }

  function barHeight() { return bar ? bar.offsetHeight : 0; }

  function onScreen(el) {
    var r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight - barHeight();
  }

  function bringIntoView(el) {
    el.scrollIntoView({ block: 'center', behavior: calm ? 'auto' : 'smooth' });
  }

  function highlight() {
    var found = spokenAt(media.time());
    var turn = found && found.el;
    showChapter(found && found.chapter);
    if (turn === current) return;
    // Following the player stops when the reader has scrolled away from it.
    var following = current === null || onScreen(current);
    if (current) {
      current.classList.remove('is-current');
      current.removeAttribute('aria-current');
    }
    if (turn) {
      turn.classList.add('is-current');
      turn.setAttribute('aria-current', 'time');
      var head = turn.querySelector('.turn-head');
      if (head) head.appendChild(cue);
      if (following && !media.paused() && !onScreen(turn)) bringIntoView(turn);
    } else if (cue.parentNode) {
      cue.remove();
    }
    current = turn;
  }

  function seek(t, play) {
    // Before the audio is loaded, setting the time records where playing will start; nothing
    // is downloaded until the listener presses play.
    media.seek(t, play);
    highlight();
  }

  // Opened at a moment: a time (`#t=754`) or a turn's anchor. The player is cued there, not
  // started, unless it is already playing.
  function openAt() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var t = timeIn(location.hash);
    var i = t === null ? -1 : lastAtOrBefore(moments, t, seconds);
    var target = t === null ? document.getElementById(id) : moments[i];
    if (t === null && target && target.hasAttribute('data-seconds')) t = seconds(target);
    if (media && t !== null && media.paused()) seek(t, false);
    // A turn's anchor is scrolled to by the browser; a time is not an element.
    if (target && timeIn(location.hash) !== null) target.scrollIntoView({ block: 'start' });
  }

  // The audio element behind the bar's controls.
  function audioMedia(a) {
    return {
      time: function () { return a.currentTime; },
      paused: function () { return a.paused; },
      duration: function () { return a.duration; },
      seek: function (t, play) {
        a.currentTime = t;
        if (play) this.play();
      },
      play: function () {
        var started = a.play();
        if (started && started.catch) started.catch(function () {});
      },
      pause: function () { a.pause(); },
      rate: function (r) { a.playbackRate = r; }
    };
  }

  // ---- The bar: the player's controls, the current chapter and the way back up. ----

  var speeds = [0.75, 1, 1.25, 1.5, 1.75, 2];
  var parts = {};

  function buildBar() {
    bar = tag('div', 'player-bar');
    bar.setAttribute('role', 'region');
    bar.setAttribute('aria-label', 'Player');
    var row = tag('div', 'bar-row');
    parts.play = tag('button', 'bar-play');
    parts.play.type = 'button';
    parts.play.hidden = true;
    parts.playLabel = tag('span', 'visually-hidden', 'Play');
    parts.play.append(tag('span', 'bar-icon'), parts.playLabel);
    parts.play.firstChild.setAttribute('aria-hidden', 'true');
    parts.play.addEventListener('click', function () {
      if (media.paused()) media.play(); else media.pause();
    });
    parts.time = tag('span', 'bar-time');
    parts.time.hidden = true;
    parts.now = tag('span', '', '0:00');
    parts.total = tag('span', '', '--:--');
    parts.time.append(tag('span', 'visually-hidden', 'Played '), parts.now,
      tag('span', 'visually-hidden', ' of '), parts.total);
    parts.now.insertAdjacentHTML('afterend', '<span aria-hidden="true"> / </span>');
    row.append(parts.play, parts.time);
    if (toc) {
      parts.chapter = tag('a', 'bar-chapter');
      parts.chapter.href = '#' + (toc.querySelector('h2') || { id: '' }).id;
      parts.chapterTitle = tag('span', 'bar-chapter-title', 'Chapters');
      parts.chapter.append(tag('span', 'visually-hidden', 'Chapters, now: '), parts.chapterTitle);
      row.appendChild(parts.chapter);
    } else {
      row.appendChild(tag('span', 'bar-gap'));
    }
    var input = document.getElementById('find-q');
    if (input) {
      var find = tag('a', 'bar-find', 'Find');
      find.href = '#find';
      find.addEventListener('click', function (e) {
        e.preventDefault();
        input.scrollIntoView({ block: 'center' });
        input.focus({ preventScroll: true });
      });
      row.appendChild(find);
    }
    parts.speed = tag('select', 'bar-speed');
    parts.speed.id = 'bar-speed';
    parts.speed.hidden = true;
    speeds.forEach(function (s) {
      var option = tag('option', '', s + '×');
      option.value = s;
      option.selected = s === 1;
      parts.speed.appendChild(option);
    });
    parts.speed.addEventListener('change', function () { media.rate(parseFloat(parts.speed.value)); });
    var speedLabel = tag('label', 'visually-hidden', 'Playback speed');
    speedLabel.htmlFor = 'bar-speed';
    var top = tag('a', 'bar-top', 'Top');
    top.href = '#main';
    top.setAttribute('aria-label', 'Back to top');
    // To the very top, above the site's header; the focus goes to the page's content.
    top.addEventListener('click', function (e) {
      e.preventDefault();
      window.scrollTo({ top: 0, behavior: calm ? 'auto' : 'smooth' });
      document.getElementById('main').focus({ preventScroll: true });
    });
    row.append(speedLabel, parts.speed, top);
    bar.appendChild(row);
    section.parentNode.insertBefore(bar, section);
    document.body.classList.add('has-player-bar');
    // The page keeps room below its last line for the bar, whatever its height.
    var room = function () {
      document.documentElement.style.setProperty('--player-bar', bar.offsetHeight + 'px');
    };
    if (window.ResizeObserver) new ResizeObserver(room).observe(bar);
    room();
  }

  // The play button, time and speed show once there is something to play.
  function barForMedia() {
    parts.play.hidden = parts.time.hidden = parts.speed.hidden = false;
    bar.classList.add('has-media');
    showState();
  }

  function showState() {
    if (!media) return;
    var paused = media.paused();
    parts.playLabel.textContent = paused ? 'Play' : 'Pause';
    parts.play.classList.toggle('is-playing', !paused);
    parts.now.textContent = clock(media.time());
    var total = media.duration();
    if (!isFinite(total) && audio) total = timeIn('#t=' + (audio.getAttribute('data-duration') || ''));
    parts.total.textContent = clock(total === null ? NaN : total);
  }

  function showChapter(chapter) {
    if (!parts.chapterTitle) return;
    var title = chapter && chapter.getAttribute('data-title');
    if (chapter && !title) {
      var copy = chapter.cloneNode(true);
      [].forEach.call(copy.querySelectorAll('.ts'), function (ts) { ts.remove(); });
      title = copy.textContent.trim();
      chapter.setAttribute('data-title', title);
    }
    parts.chapterTitle.textContent = title || 'Chapters';
  }

  // Without a player, the bar names the chapter being read.
  function chapterOnScreen() {
    var i = lastAtOrBefore(chapters, window.innerHeight / 3, function (c) {
      return c.getBoundingClientRect().top;
    });
    showChapter(i < 0 ? null : chapters[i]);
  }

  function followScroll() {
    var waiting = false;
    window.addEventListener('scroll', function () {
      if (waiting || media) return;
      waiting = true;
      requestAnimationFrame(function () {
        waiting = false;
        chapterOnScreen();
      });
    }, { passive: true });
  }

  function playerChanged() {
    highlight();
    showState();
  }

  // ---- One quiet share control per turn. ----

  var shareIcon = '<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>';

  var proto = tag('button', 'copy-link');
  proto.type = 'button';
  proto.innerHTML = shareIcon + '<span class="visually-hidden"></span>';

  // The button's name says whose turn it links to.
  function nameShare(button, turn) {
    var speaker = turn.querySelector('.speaker');
    button.lastChild.textContent = 'Copy link to this turn' + (speaker ? ' by ' + speaker.textContent : '');
  }

  function addShare(turn) {
    var head = turn.querySelector('.turn-head');
    if (!head || !turn.id) return;
    var button = proto.cloneNode(true);
    nameShare(button, turn);
    // An untimed turn's `#` link only stands in, without JS, for the share control: one
    // control per turn, not two that do the same.
    var permalink = head.querySelector('a.permalink');
    if (permalink) permalink.replaceWith(button); else head.appendChild(button);
  }

  function copyLink(button) {
    var turn = button.closest('.turn');
    var url = location.origin + location.pathname + '#' + turn.id;
    var done = function (text) {
      button.textContent = text;
      button.classList.add('is-done');
      setTimeout(function () {
        button.classList.remove('is-done');
        button.replaceChildren.apply(button, [].slice.call(proto.cloneNode(true).childNodes));
        nameShare(button, turn);
      }, 2000);
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
  }

  // ---- The embedded video (YouTube, opted in by the site): driven by postMessage. ----

  function videoMedia(box) {
    var embed = box.getAttribute('data-embed');
    var origin = new URL(embed, location.href).origin;
    var state = { t: 0, paused: true, d: NaN };
    var frame = null;
    var ready = false;
    var waiting = [];
    var send = function (func, args) {
      var message = JSON.stringify({ event: 'command', func: func, args: args || [], id: 1, channel: 'widget' });
      if (ready) frame.contentWindow.postMessage(message, origin); else waiting.push(message);
    };
    window.addEventListener('message', function (e) {
      if (!frame || e.origin !== origin || e.source !== frame.contentWindow) return;
      var data;
      try { data = typeof e.data === 'string' ? JSON.parse(e.data) : e.data; } catch (err) { return; }
      if (!data) return;
      if (data.event === 'onReady' && !ready) {
        ready = true;
        waiting.forEach(function (m) { frame.contentWindow.postMessage(m, origin); });
        waiting = [];
      }
      var info = data.info;
      if (!info || (data.event !== 'infoDelivery' && data.event !== 'initialDelivery')) return;
      if (typeof info.currentTime === 'number') state.t = info.currentTime;
      if (typeof info.duration === 'number' && info.duration > 0) state.d = info.duration;
      if (typeof info.playerState === 'number') state.paused = info.playerState !== 1;
      playerChanged();
    });
    return {
      open: function (start) {
        if (frame) return;
        frame = tag('iframe');
        var join = embed.indexOf('?') < 0 ? '?' : '&';
        frame.src = embed + join + (/[?&]enablejsapi=1/.test(embed) ? '' : 'enablejsapi=1&') +
          'autoplay=1&origin=' + encodeURIComponent(location.origin) +
          (start ? '&start=' + Math.floor(start) : '');
        frame.title = 'Video: ' + (document.getElementById('episode-title') || { textContent: '' }).textContent;
        frame.allow = 'autoplay; encrypted-media; picture-in-picture; fullscreen';
        frame.addEventListener('load', function () {
          // YouTube sends the player's state only to a page that says it listens.
          frame.contentWindow.postMessage(JSON.stringify({ event: 'listening', id: 1, channel: 'widget' }), origin);
        });
        box.replaceChildren(frame);
        box.classList.add('is-open');
        state.t = start || 0;
        media = this;
        barForMedia();
      },
      time: function () { return state.t; },
      paused: function () { return state.paused; },
      duration: function () { return state.d; },
      seek: function (t, play) {
        state.t = t;
        send('seekTo', [t, true]);
        if (play) send('playVideo');
      },
      play: function () { send('playVideo'); },
      pause: function () { send('pauseVideo'); },
      rate: function (r) { send('setPlaybackRate', [r]); }
    };
  }

  // ---- Wiring. ----

  turns.forEach(addShare);
  section.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('button.copy-link');
    if (button) copyLink(button);
  });
  buildBar();

  var video = null;
  if (audio) {
    media = audioMedia(audio);
    ['timeupdate', 'seeked', 'play', 'pause', 'durationchange'].forEach(function (type) {
      audio.addEventListener(type, playerChanged);
    });
    audio.addEventListener('ratechange', function () { parts.speed.value = String(audio.playbackRate); });
    barForMedia();
  } else if (videoBox) {
    video = videoMedia(videoBox);
    // Without JS the box holds a link to the video at YouTube; with it, the link plays here.
    var press = videoBox.querySelector('.video-play, button');
    if (press) press.addEventListener('click', function (e) {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button) return;
      e.preventDefault();
      video.open(0);
    });
  } else if (section.hasAttribute('data-video-id')) {
    // No embed: each timestamp opens the video at its time, beside the transcript.
    [].forEach.call(section.querySelectorAll('a[data-seconds]'), function (a) {
      if (a.getAttribute('href').charAt(0) === '#') return;
      a.target = '_blank';
      a.rel = 'noopener';
    });
  }
  if (!media) {
    followScroll();
    chapterOnScreen();
  }

  document.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('a[data-seconds]');
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button) return;
    var t = parseFloat(link.getAttribute('data-seconds'));
    if (isNaN(t)) return;
    if (video && !media) {
      e.preventDefault();
      video.open(t);
      return;
    }
    if (!media) return;
    if (video) e.preventDefault();
    seek(t, true);
  });
  openAt();
  window.addEventListener('hashchange', openAt);
})();
