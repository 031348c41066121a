// Landing page: only the language toggle and the top bar need a script.
import { startPublicPage } from './shell.js';

startPublicPage({ signIn: '/login' });
