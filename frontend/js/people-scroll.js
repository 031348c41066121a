// Tables wider than a phone scroll sideways inside their frame; a frame that scrolls becomes a
// named region in the tab order, so a keyboard can scroll it too (WCAG 2.1.1). A frame that fits
// stays out of the tab order.
const watched = new WeakMap(); // table → its frame

function mark(frame) {
  if (!frame.isConnected) return;
  if (frame.scrollWidth > frame.clientWidth + 1) {
    frame.setAttribute('role', 'region');
    frame.setAttribute('aria-labelledby', frame.dataset.labelledby);
    frame.tabIndex = 0;
  } else {
    frame.removeAttribute('role');
    frame.removeAttribute('aria-labelledby');
    frame.removeAttribute('tabindex');
  }
}

const observer = typeof ResizeObserver === 'function'
  ? new ResizeObserver((entries) => {
    for (const e of entries) mark(watched.get(e.target) || e.target);
  })
  : null;

/**
 * A frame for `table` named by the element `labelledby` (an id) when it scrolls; the frame is
 * checked again whenever it or the table changes size (a phone turned, a group opened).
 */
export function scrollFrame(table, labelledby, extraClass = '') {
  const frame = document.createElement('div');
  frame.className = ('table-wrap ' + extraClass).trim();
  frame.dataset.labelledby = labelledby;
  frame.append(table);
  if (observer) {
    watched.set(table, frame);
    observer.observe(frame);
    observer.observe(table);
  }
  return frame;
}
