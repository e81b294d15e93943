// Filter and sort the speakers table; without JS the whole table shows.
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
    status.textContent = q ? shown + ' of ' + rows.length + ' speakers' : '';
    q ? u.searchParams.set('q', filter.value.trim()) : u.searchParams.delete('q');
    history.replaceState(null, '', u);
  }
  filter.value = new URLSearchParams(location.search).get('q') || '';
  filter.oninput = sort.onchange = update;
  tools.hidden = false;
  if (filter.value) update();
})();
