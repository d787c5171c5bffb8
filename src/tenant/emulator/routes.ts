// Routes of the areas added after the core, gathered in one list. Order matters only where a literal segment
// competes with `{id}` (users/delta before users/{id}): the router takes the first match.
import type { Route } from './context.js';
import { deltaRoutes } from './delta.js';
import { educationRoutes } from './education.js';
import { eventRoutes } from './events.js';
import { licenceRoutes } from './licences.js';
import { teamRoutes } from './teams.js';

export const extraRoutes: Route[] = [...deltaRoutes, ...educationRoutes, ...teamRoutes, ...eventRoutes, ...licenceRoutes];
