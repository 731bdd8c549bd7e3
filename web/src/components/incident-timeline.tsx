/**
 * An incident's timeline: its alerts as they happened (runs of the same alert folded: `×3`), its investigations
 * starting and ending, the actions on it proposed, decided and done, and the analysts' comments — oldest first,
 * everything from the API.
 */
import {
  api,
  type Action,
  type Alert,
  type IncidentDetail,
  type InvestigationSummary,
  type Page,
} from '../api';
import type { ReactNode } from 'react';
import { formatTime } from '../format';
import { Link } from '../router';
import { Badge, useData } from './ui';

interface Moment {
  readonly at: string;
  readonly kind: 'alert' | 'investigation' | 'action' | 'comment';
  readonly text: ReactNode;
  readonly badge?: string;
  readonly count?: number;
  /** Folds a run of the same alert. */
  readonly fold?: string;
}

export function moments(
  alerts: readonly Alert[],
  investigations: readonly InvestigationSummary[],
  actions: readonly Action[],
  comments: IncidentDetail['comments'],
): Moment[] {
  const list: Moment[] = [
    ...alerts.map((alert): Moment => ({
      at: alert.firstActivityAt ?? alert.createdAt,
      kind: 'alert',
      text: alert.title,
      badge: alert.severity,
      fold: `${alert.title}|${alert.severity}`,
    })),
    ...investigations.flatMap((investigation): Moment[] => [
      ...(investigation.startedAt
        ? [
            {
              at: investigation.startedAt,
              kind: 'investigation' as const,
              text: (
                <>
                  <Link to={`/investigations/${investigation.id}`}>{investigation.id}</Link> started (
                  {investigation.playbook})
                </>
              ),
            },
          ]
        : []),
      ...(investigation.endedAt
        ? [
            {
              at: investigation.endedAt,
              kind: 'investigation' as const,
              text: <>{investigation.id} ended</>,
              badge: investigation.status,
            },
          ]
        : []),
    ]),
    ...actions.flatMap((action): Moment[] => {
      const what = `${action.title}: ${action.targetName}`;
      return [
        { at: action.createdAt, kind: 'action', text: `${what} proposed`, badge: 'pendingApproval' },
        ...(action.decidedAt && action.decidedBy
          ? [
              {
                at: action.decidedAt,
                kind: 'action' as const,
                text: `${what} decided by ${action.decidedBy}${action.decisionRule ? ` (${action.decisionRule})` : ''}`,
                badge:
                  action.status === 'rejected' || action.status === 'expired' ? action.status : 'approved',
              },
            ]
          : []),
        ...(action.endedAt
          ? [{ at: action.endedAt, kind: 'action' as const, text: `${what} ended`, badge: action.status }]
          : []),
      ];
    }),
    ...comments.map((comment): Moment => ({
      at: comment.createdAt,
      kind: 'comment',
      text: `${comment.author}: ${comment.text}`,
    })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // A run of the same alert is one line with a count.
  const folded: Moment[] = [];
  for (const moment of list) {
    const last = folded[folded.length - 1];
    if (moment.fold && last?.fold === moment.fold)
      folded[folded.length - 1] = { ...last, count: (last.count ?? 1) + 1 };
    else folded.push(moment);
  }
  return folded;
}

export function IncidentTimeline({
  incident,
  alerts,
  investigations,
}: {
  incident: IncidentDetail;
  alerts: readonly Alert[];
  investigations: readonly InvestigationSummary[];
}) {
  const ids = investigations.map((investigation) => investigation.id).join(',');
  const actions = useData(
    async () =>
      (
        await Promise.all(
          investigations.map((investigation) =>
            api<Page<Action>>('/actions', {
              query: { investigation: investigation.id, limit: 200 },
            }),
          ),
        )
      ).flatMap((page) => page.items),
    [ids],
  );
  const list = moments(alerts, investigations, actions.data ?? [], incident.comments);
  return (
    <ol className="timeline" aria-label="Timeline">
      {list.map((moment, index) => (
        <li key={index} data-kind={moment.kind}>
          <time dateTime={moment.at}>{formatTime(moment.at)}</time>{' '}
          <span className="muted small">{moment.kind}</span> {moment.text}
          {moment.count ? <strong> ×{moment.count}</strong> : null}{' '}
          {moment.badge && <Badge value={moment.badge} />}
        </li>
      ))}
    </ol>
  );
}
