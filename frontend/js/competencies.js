// Competencies for admin and HR: the organisation's competency dictionary (each competency with its
// levels 1–5, expandable; earlier versions readable) and its job competency standards (a table of
// job level × required levels, CSV download and CSV import with a dry run first).
// The page is split by responsibility: competencies-framework draws the dictionary,
// competencies-standards the table and the import; this file loads the data and wires them.
import { api } from './api.js';
import { $, errorNotice, startPage } from './shell.js';
import { openAll, renderFramework, renderVersions } from './competencies-framework.js';
import { checkFile, downloadCsv, onImported, redrawPanel, renderStandards } from './competencies-standards.js';

const me = await startPage({ roles: ['admin', 'hr'] });

const state = { versions: [], framework: null, standards: null };
let lastStatus = null;

function status(view) {
  lastStatus = view;
  $('#competencies-status').replaceChildren(view ? view() : '');
}

async function loadFramework(version = null) {
  try {
    state.framework = await api(version ? `/api/v1/competencies/versions/${version}` : '/api/v1/competencies');
    state.versions = (await api('/api/v1/competencies/versions')).versions;
    renderVersions(state.versions, state.framework.version);
    renderFramework(state.framework);
  } catch (err) {
    status(() => errorNotice(err));
  }
}

async function loadStandards() {
  try {
    state.standards = await api('/api/v1/job-standards');
    renderStandards(state.standards);
  } catch (err) {
    status(() => errorNotice(err));
  }
}

if (me) {
  $('#framework-version').addEventListener('change', (e) => loadFramework(Number(e.target.value)));
  $('#expand-all').addEventListener('click', () => openAll(true));
  $('#collapse-all').addEventListener('click', () => openAll(false));
  $('#standards-download').addEventListener('click', () => downloadCsv(status));
  $('#standards-file').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    if (file) checkFile(file);
  });
  onImported(loadStandards);
  document.addEventListener('langchange', () => {
    if (state.framework) {
      renderVersions(state.versions, state.framework.version);
      renderFramework(state.framework);
    }
    if (state.standards) renderStandards(state.standards);
    redrawPanel();
    if (lastStatus) status(lastStatus);
  });
  await Promise.all([loadFramework(), loadStandards()]);
}
