// People and the organisation: look a person up by NIP (competency history across campaigns with
// each result's validity, SKP ratings and discipline records), read JPM and IP ASN by unit and
// year, and, for admin and HR, import SKP ratings and discipline records from CSV files (a dry run
// first, every problem by row and column). Assessors and psychologists read; they see no imports.
// Split by responsibility: people-lookup (with people-history), people-overview, people-import.
import { $, startPage } from './shell.js';
import { importPanel } from './people-import.js';
import { lookupPanel } from './people-lookup.js';
import { overviewPanel } from './people-overview.js';

/** Who may open the page (the API reads the same roles); only the first two import. */
const READERS = ['admin', 'hr', 'assessor', 'psychologist'];
const IMPORTERS = ['admin', 'hr'];

const me = await startPage({ roles: READERS });

if (me) {
  const lookup = lookupPanel();
  const overview = overviewPanel();
  const imports = [];
  if (IMPORTERS.includes(me.role)) {
    $('#imports').hidden = false;
    imports.push(importPanel('ratings', lookup.refresh), importPanel('discipline', lookup.refresh));
  } else {
    $('#imports').remove();
  }
  overview.load();
  document.addEventListener('langchange', () => {
    for (const draw of imports) draw();
    lookup.render();
    overview.render();
  });
}
