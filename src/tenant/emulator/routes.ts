// Routes of the areas added after the core (education, teams, events, mail, delta), gathered in one list.
import type { Route } from './context.js';

export const extraRoutes: Route[] = [];
