// Performance and discipline for admin and HR: import SKP ratings and discipline records from CSV
// files (a dry run first, every problem by row and column) and look a person's records up by NIP.
// The page is split by responsibility: people-import (one import, drawn twice) and people-lookup.
import { startPage } from './shell.js';
import { importPanel } from './people-import.js';
import { lookupPanel } from './people-lookup.js';

const me = await startPage({ roles: ['admin', 'hr'] });

if (me) {
  const lookup = lookupPanel();
  const imports = [importPanel('ratings', lookup.refresh), importPanel('discipline', lookup.refresh)];
  document.addEventListener('langchange', () => {
    for (const draw of imports) draw();
    lookup.render();
  });
}
