// Signed-in home for every role: who you are, your organisation and role, what you can use now.
import { $, h, signOut, startPage } from './shell.js';
import { roleName, t } from './i18n.js';

const me = await startPage();
if (me) {
  const render = () => {
    $('#welcome').textContent = t('home.welcome', { name: me.name });
    $('#facts').replaceChildren(
      h('dt', {}, t('home.name')), h('dd', { id: 'me-name' }, me.name),
      h('dt', {}, t('home.email')), h('dd', { id: 'me-email' }, me.email),
      h('dt', {}, t('home.role')), h('dd', { id: 'me-role', dataset: { role: me.role } }, roleName(me.role)),
      h('dt', {}, t('home.org')), h('dd', { id: 'me-org' }, me.organisation.name),
    );
    const links = [];
    if (me.role === 'admin' || me.role === 'hr') links.push(['/bank', 'nav.bank', 'home.link.bank'], ['/campaigns', 'campaigns.nav', 'home.link.campaigns']);
    if (me.role !== 'proctor') links.push(['/results', 'nav.results', 'home.link.results']);
    if (me.role === 'assessor') links.push(['/assessor', 'assessor.nav', 'home.link.assessor']);
    if (me.role === 'admin' || me.role === 'hr' || me.role === 'psychologist') {
      links.push(['/assessment', 'assessment.nav', 'home.link.assessment'], ['/reports', 'reports.nav', 'home.link.reports'],
        ['/psychometrics', 'psy.nav', 'home.link.psychometrics']);
    }
    if (me.role === 'admin' || me.role === 'hr' || me.role === 'proctor') links.push(['/proctor', 'nav.proctor', 'home.link.proctor']);
    if (me.role === 'admin') links.push(['/accounts', 'nav.accounts', 'home.link.accounts']);
    if (me.role !== 'proctor') links.push(['/people', 'people.nav', 'home.link.people']);
    links.push(['/docs', 'nav.docs', 'home.link.docs']);
    if (me.role === 'admin' || me.role === 'hr') links.push(['/format', 'home.link.format', 'home.link.format.desc']);
    $('#links').replaceChildren(...links.map(([href, label, desc]) =>
      h('li', {}, h('a', { href }, t(label)), ': ', t(desc))));
    $('#next').textContent = t('home.next.' + me.role);
  };
  render();
  document.addEventListener('langchange', render);
  $('#home-sign-out').addEventListener('click', signOut);
}
