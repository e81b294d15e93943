// "Find in this episode": a box and a speaker menu at the top of the transcript that show only
// the turns holding every word typed (ignoring case and accents) by the speaker chosen, mark the
// words and say how many turns match. Made here, so a page without JS has no dead form. Loaded
// before transcript.js, whose player bar links to it.
(function () {
  'use strict';
  var section = document.querySelector('.transcript');
  if (!section) return;
  var turns = [].slice.call(section.querySelectorAll('.turn'));
  if (!turns.length) return;

  function tag(name, className, text) {
    var el = document.createElement(name);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  var folded = null; // each turn's words, lower case and without accents, made on first use
  var marked = [];

  function fold(text) {
    // Letters that are not a letter and an accent (ø, ł, đ) are folded by hand, one for one.
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[øłđ]/g, function (c) { return { 'ø': 'o', 'ł': 'l', 'đ': 'd' }[c]; });
  }

  function speakerOf(turn) {
    var name = turn.querySelector('.speaker');
    return name ? name.textContent.trim() : '';
  }

  function buildFind() {
    var form = tag('form', 'find');
    form.id = 'find';
    form.setAttribute('role', 'search');
    form.setAttribute('aria-label', 'Find in this episode');
    form.innerHTML =
      '<p class="find-words"><label for="find-q">Find in this episode</label>' +
      '<input id="find-q" type="search" autocomplete="off" spellcheck="false"></p>' +
      '<p class="find-who"><label for="find-speaker">Speaker</label>' +
      '<select id="find-speaker"><option value="">Everyone</option></select></p>' +
      '<p class="find-clear"><button type="reset">Clear</button></p>' +
      '<p class="find-status" id="find-status" role="status"></p>';
    var counts = {};
    var order = [];
    turns.forEach(function (turn) {
      var name = speakerOf(turn);
      if (!name) return;
      if (!counts[name]) order.push(name);
      counts[name] = (counts[name] || 0) + 1;
    });
    order.sort(function (a, b) { return counts[b] - counts[a]; });
    var select = form.querySelector('select');
    order.forEach(function (name) {
      var option = tag('option', '', name + ' (' + counts[name].toLocaleString('en') + ')');
      option.value = name;
      select.appendChild(option);
    });
    var input = form.querySelector('input');
    var status = form.querySelector('[role="status"]');
    var timer = 0;
    var run = function () {
      clearTimeout(timer);
      status.textContent = filter(input.value, select.value);
    };
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 200);
    });
    select.addEventListener('change', run);
    form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
    form.addEventListener('reset', function () { setTimeout(run); });
    var title = section.querySelector('#transcript-title');
    section.insertBefore(form, title ? title.nextSibling : section.firstChild);
  }

  // Shows only the turns by `speaker` (any, when empty) that hold every word of `query`; says
  // how many. Turns are only written to, never measured, so the page is laid out once.
  function filter(query, speaker) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    unmark();
    var all = !words.length && !speaker;
    section.classList.toggle('is-filtering', !all);
    if (all) {
      turns.forEach(function (turn) { turn.hidden = false; });
      return '';
    }
    if (!folded) {
      folded = turns.map(function (turn) {
        return fold((turn.querySelector('.turn-text') || turn).textContent);
      });
    }
    var shown = 0;
    turns.forEach(function (turn, i) {
      var match = (!speaker || speakerOf(turn) === speaker) && words.every(function (w) {
        return folded[i].indexOf(w) >= 0;
      });
      turn.hidden = !match;
      if (!match) return;
      shown += 1;
      if (words.length) mark(turn.querySelector('.turn-text'), words);
    });
    var of = turns.length.toLocaleString('en');
    if (!shown) return 'No turn matches, of ' + of + '.';
    return shown.toLocaleString('en') + ' of ' + of + ' turns ' + (shown === 1 ? 'matches' : 'match') + '.';
  }

  // Wraps each of `words` in `<mark>` within the text of `el`, found as `fold` finds them.
  function mark(el, words) {
    if (!el) return;
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.data;
      var f = fold(text);
      // Folding keeps one letter per letter almost always; where it does not, marks are left out
      // of that stretch of text rather than put in the wrong place.
      if (f.length !== text.length) return;
      var ranges = [];
      words.forEach(function (w) {
        for (var at = f.indexOf(w); at >= 0; at = f.indexOf(w, at + w.length)) ranges.push([at, at + w.length]);
      });
      if (!ranges.length) return;
      ranges.sort(function (a, b) { return a[0] - b[0]; });
      var out = document.createDocumentFragment();
      var from = 0;
      ranges.forEach(function (r) {
        if (r[0] < from) return;
        out.append(text.slice(from, r[0]), tag('mark', '', text.slice(r[0], r[1])));
        from = r[1];
      });
      out.append(text.slice(from));
      node.replaceWith(out);
    });
    marked.push(el);
  }

  function unmark() {
    marked.forEach(function (el) {
      [].forEach.call(el.querySelectorAll('mark'), function (m) { m.replaceWith(m.textContent); });
      el.normalize();
    });
    marked = [];
  }

  buildFind();
})();
