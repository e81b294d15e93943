// Filter and sort the speakers table, and jump to the names of a letter; without JS the whole
// table shows.
(function () {
  var t = document.getElementById('speakers-table'), tools = document.getElementById('speaker-tools');
  if (!t || !tools) return;
  var body = t.tBodies[0], rows = [].slice.call(body.rows), $ = document.getElementById.bind(document),
    filter = $('speaker-filter'), sort = $('speaker-sort'), status = $('speaker-count');
  function fold(s) { return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); }
  rows.forEach(function (r, i) { r._i = i; r._s = fold(r.getAttribute('data-search') || r.textContent); r._n = r.cells[0].textContent.trim(); });
  function n(r, k) { return +r.getAttribute('data-' + k) || 0; }
  var by = {
    appearances: function (a, b) { return a._i - b._i; },
    words: function (a, b) { return n(b, 'words') - n(a, 'words'); },
    name: function (a, b) { return a._n.localeCompare(b._n, undefined, { sensitivity: 'base' }); },
    first: function (a, b) { return (n(a, 'first') || 1e4) - (n(b, 'first') || 1e4); },
    last: function (a, b) { return n(b, 'last') - n(a, 'last'); }
  };
  function update() {
    var q = fold(filter.value.trim()), k = sort.value, shown = 0, u = new URL(location.href);
    rows.slice().sort(by[k] || by.appearances).forEach(function (r) {
      r.hidden = q && r._s.indexOf(q) < 0;
      if (!r.hidden) shown++;
      body.appendChild(r);
    });
    [].forEach.call(t.tHead.rows[0].cells, function (th) {
      if (th.getAttribute('data-key') == k) th.setAttribute('aria-sort', /name|first/.test(k) ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    status.textContent = q ? shown.toLocaleString('en') + ' of ' + rows.length.toLocaleString('en') + ' speakers' : '';
    q ? u.searchParams.set('q', filter.value.trim()) : u.searchParams.delete('q');
    history.replaceState(null, '', u);
  }
  // A letter's names are together only in name order: the jump sorts by name, shows every row,
  // and puts each letter's anchor on its first row in this order before the link is followed.
  var letters = $('speaker-letters'), target = location.hash.slice(1);
  function byName() {
    if (sort.value != 'name' || filter.value) { sort.value = 'name'; filter.value = ''; update(); }
    var anchors = {};
    [].forEach.call(letters.querySelectorAll('a'), function (a) { anchors[a.getAttribute('data-letter')] = a.hash.slice(1); });
    rows.forEach(function (r) { if (/^letter-/.test(r.id)) r.removeAttribute('id'); });
    [].forEach.call(body.rows, function (r) {
      var id = anchors[r.getAttribute('data-letter')];
      if (id && !$(id)) r.id = id;
    });
  }
  if (letters) {
    letters.onclick = function (e) { if (e.target.closest('a')) byName(); };
    letters.hidden = false;
  }
  filter.value = new URLSearchParams(location.search).get('q') || '';
  filter.oninput = sort.onchange = update;
  tools.hidden = false;
  if (letters && /^letter-/.test(target) && $(target)) { byName(); $(target).scrollIntoView(); }
  else if (filter.value) update();
})();
