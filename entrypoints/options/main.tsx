import '~/lib/security/zod-jitless'; // first: zod must not compile with new Function (extension CSP)
import '~/components/page.css';
import './options.css';
import { render } from 'preact';
import { OptionsApp } from './OptionsApp';

render(<OptionsApp />, document.getElementById('app')!);
