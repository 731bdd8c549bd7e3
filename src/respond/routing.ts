/**
 * Which connector carries out an action: the first enabled one, in list order, that takes the action's type and
 * whose `groups` is absent or holds the action's group.
 */
import type { ActionType } from '../domain/action.js';

/** What routing reads of a configured connector. */
export interface ConnectorRoute {
  readonly name: string;
  readonly enabled: boolean;
  readonly actions: readonly (ActionType | '*')[];
  readonly groups?: readonly string[];
}

/** Whether a connector takes actions of this type. */
export function takesAction(route: ConnectorRoute, type: ActionType): boolean {
  return route.actions.includes('*') || route.actions.includes(type);
}

/** The connector for an action; `group` is `null` (or `undefined`) for an action judged by no group. */
export function connectorFor<T extends ConnectorRoute>(
  routes: readonly T[],
  type: ActionType,
  group: string | null | undefined,
): T | undefined {
  return routes.find(
    (route) =>
      route.enabled &&
      takesAction(route, type) &&
      (route.groups === undefined || (group != null && route.groups.includes(group))),
  );
}
