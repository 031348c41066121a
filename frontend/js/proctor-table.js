// A table that stays smooth with thousands of rows: every row has the same height, so only the
// rows in view (and a few around them) are in the DOM, between two spacer rows that give the
// scroll container its full height. Row elements are reused (a row that stays in view keeps its
// element, so a focused checkbox keeps its focus), and every change of data or scroll position is
// drawn once per animation frame.

/** Rows drawn above and below the visible ones, so a quick scroll does not show blank space. */
const OVERSCAN = 6;

export class VirtualTable {
  /**
   * scroller: the element that scrolls (it holds the table; its thead is sticky).
   * table, tbody: the table and its body. rowHeight: px of every row (the CSS must agree).
   * columns: how many cells a row has (for the spacers' colspan).
   * key(row): a row's identity; createRow(): a new, empty <tr>; updateRow(tr, row, index): fills it.
   */
  constructor({ scroller, table, tbody, rowHeight, columns, key, createRow, updateRow }) {
    this.scroller = scroller;
    this.table = table;
    this.tbody = tbody;
    this.rowHeight = rowHeight;
    this.key = key;
    this.createRow = createRow;
    this.updateRow = updateRow;
    this.rows = [];
    this.rendered = new Map(); // key → <tr> currently in the body
    this.spare = []; // <tr> elements no longer in view, ready for reuse
    this.frame = 0;
    this.top = spacer(columns);
    this.bottom = spacer(columns);
    tbody.replaceChildren(this.top, this.bottom);
    scroller.addEventListener('scroll', () => this.invalidate(), { passive: true });
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.invalidate()).observe(scroller);
    else window.addEventListener('resize', () => this.invalidate());
  }

  /** New rows (already filtered and sorted); drawn at the next frame. */
  setRows(rows) {
    this.rows = rows;
    this.invalidate();
  }

  /** Asks for a redraw at the next animation frame (many calls, one redraw). */
  invalidate() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Scrolls so that row `index` is in view. */
  scrollToIndex(index) {
    const head = this.table.tHead ? this.table.tHead.offsetHeight : 0;
    const y = index * this.rowHeight;
    const view = this.scroller.clientHeight - head;
    if (y < this.scroller.scrollTop) this.scroller.scrollTop = y;
    else if (y + this.rowHeight > this.scroller.scrollTop + view) this.scroller.scrollTop = y + this.rowHeight - view;
  }

  /** The range of rows drawn now: [first, end). */
  range() {
    const n = this.rows.length;
    const h = this.rowHeight;
    const head = this.table.tHead ? this.table.tHead.offsetHeight : 0;
    const scrollTop = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || h * 20;
    const first = Math.max(0, Math.floor(Math.max(0, scrollTop - head) / h) - OVERSCAN);
    const end = Math.min(n, Math.ceil((scrollTop + height) / h) + OVERSCAN);
    return [Math.min(first, n), Math.max(end, Math.min(first, n))];
  }

  render() {
    const [first, end] = this.range();
    const h = this.rowHeight;
    this.top.style.height = first * h + 'px';
    this.top.hidden = first === 0;
    this.bottom.style.height = (this.rows.length - end) * h + 'px';
    this.bottom.hidden = end >= this.rows.length;
    this.table.setAttribute('aria-rowcount', String(this.rows.length + 1));

    const wanted = new Map();
    for (let i = first; i < end; i++) wanted.set(this.key(this.rows[i]), i);
    // Rows that left the view go back to the pool.
    for (const [k, tr] of this.rendered) {
      if (!wanted.has(k)) {
        tr.remove();
        this.rendered.delete(k);
        this.spare.push(tr);
      }
    }
    // Place each wanted row right after the previous one, moving only what is out of place.
    let cursor = this.top;
    for (let i = first; i < end; i++) {
      const row = this.rows[i];
      const k = this.key(row);
      let tr = this.rendered.get(k);
      if (!tr) {
        tr = this.spare.pop() || this.createRow();
        this.rendered.set(k, tr);
      }
      tr.setAttribute('aria-rowindex', String(i + 2));
      this.updateRow(tr, row, i);
      if (cursor.nextSibling !== tr) this.tbody.insertBefore(tr, cursor.nextSibling);
      cursor = tr;
    }
    if (cursor.nextSibling !== this.bottom) this.tbody.append(this.bottom);
    if (this.spare.length > 2 * OVERSCAN + 40) this.spare.length = 2 * OVERSCAN + 40;
  }

  /** The <tr> now drawn for a key, if any. */
  rowElement(k) {
    return this.rendered.get(k) || null;
  }
}

function spacer(columns) {
  const tr = document.createElement('tr');
  tr.className = 'pv-spacer';
  tr.setAttribute('aria-hidden', 'true');
  const td = document.createElement('td');
  td.colSpan = columns;
  tr.append(td);
  tr.hidden = true;
  return tr;
}
