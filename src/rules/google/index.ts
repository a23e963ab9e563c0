import type { RuleFamily } from '../types.js';
import { googleApiKey } from './api-key.js';
import { googleServiceAccount } from './service-account.js';

export const google: RuleFamily = { id: 'google', rules: [googleApiKey, googleServiceAccount] };
