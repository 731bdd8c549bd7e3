// Generated from docs/api/openapi.json by openapi-typescript (npm run docs:update). Do not edit.

export interface paths {
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics: queues, investigations and actions by state, inputs, worker stages, pool
         * @description The Prometheus text format (docs/deploy.md). With a viewer token (Prometheus: `authorization: { credentials: TOKEN }`); `--metrics-port` serves the same without one.
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and store reachability (no token needed) */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List alerts, newest first, with filters and cursor pagination */
        get: operations["listAlerts"];
        put?: never;
        /**
         * Ingest alerts: one object, a JSON array, or NDJSON, in any supported format
         * @description Formats: autoir, msgraph, ocsf, elastic, wazuh, suricata, cef (sniffed per item unless `format` is given). Each item gets a result. Without `strict`, good items are stored and bad ones reported; with `strict=true`, one bad item stores nothing. An alert re-sent with the same source and sourceRef updates the stored one.
         */
        post: operations["ingestAlerts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One alert with its entities */
        get: operations["getAlert"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Set an alert's status (an analyst's status is never changed by automation) */
        patch: operations["updateAlert"];
        trace?: never;
    };
    "/api/v1/alerts/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set the status of several alerts at once (all or none) */
        post: operations["setAlertStatuses"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/inputs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Followed files and syslog receivers: state, lag and counters (configured in AUTOIR_INPUTS) */
        get: operations["listInputs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search telemetry events (every term given must match), newest first or as a timeline */
        get: operations["searchEvents"];
        put?: never;
        /** Ingest telemetry (and alerts): a JSON object, an array or NDJSON, in any format autoir reads */
        post: operations["ingestEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/es/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Elasticsearch-compatible version handshake (what clients and shippers ask first) */
        get: operations["esInfo"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/es/_bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Elasticsearch-compatible bulk: index/create actions, each document an event or an alert */
        post: operations["esBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/es/{index}/_bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Elasticsearch-compatible bulk: index/create actions, each document an event or an alert */
        post: operations["esIndexBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services/collector/event": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Splunk HEC event: concatenated {"event": …} objects */
        post: operations["hecEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services/collector": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Splunk HEC event: concatenated {"event": …} objects */
        post: operations["hecEventRoot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services/collector/event/1.0": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Splunk HEC event: concatenated {"event": …} objects */
        post: operations["hecEventV1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services/collector/raw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Splunk HEC raw: one record a line */
        post: operations["hecRaw"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services/collector/raw/1.0": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Splunk HEC raw: one record a line */
        post: operations["hecRawV1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One event, with the record as it arrived if asked */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The detection rules that run here, with their alerts and switches */
        get: operations["listRules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules/{id}/enabled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Switch a detection rule on or off (audited; every process follows within seconds) */
        put: operations["switchRule"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List incidents, most recent activity first, with filters and cursor pagination */
        get: operations["listIncidents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One incident: its alerts, main entities, the links that made it, merges and comments */
        get: operations["getIncident"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Set an incident's analyst fields (automation never changes them) */
        patch: operations["updateIncident"];
        trace?: never;
    };
    "/api/v1/incidents/{id}/comments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a comment to an incident */
        post: operations["commentIncident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List investigations, newest first */
        get: operations["listInvestigations"];
        put?: never;
        /** Start an investigation by hand: of an incident, a device, a user or a mailbox */
        post: operations["startInvestigation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One investigation: evidence with verdicts, roles and findings; alerts; proposed actions; log */
        get: operations["getInvestigation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/feedback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark an evidence verdict wrong, with why; optionally a dated lesson that allows the same thing later */
        post: operations["giveEvidenceFeedback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel an investigation (terminatedByUser) */
        post: operations["cancelInvestigation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/approve-expansion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve the scope expansion an investigation waits for */
        post: operations["approveExpansion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/indicators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List allow and block indicators, newest first */
        get: operations["listIndicators"];
        put?: never;
        /** Add an allow or block indicator */
        post: operations["addIndicator"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/indicators/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import indicators from a STIX 2.1 bundle or a MISP event (the JSON document as the body) */
        post: operations["importIndicators"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/indicators/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove an indicator */
        delete: operations["removeIndicator"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions/types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The action types: what each is called, what it acts on, and the action that undoes it */
        get: operations["listActionTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The action center: actions newest first, with filters and cursor pagination */
        get: operations["listActions"];
        put?: never;
        /**
         * Request an action (queued at once: the request is the decision)
         * @description The same type and target already in flight → 409 with that action in `action`.
         */
        post: operations["requestAction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every action matching the filters as CSV */
        get: operations["exportActions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One action with its history: every status change, who or what made it, and why */
        get: operations["getAction"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve pending actions of one type, with a comment (they are queued at once) */
        post: operations["approveActions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject pending actions of one type, with a comment */
        post: operations["rejectActions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions/undo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Undo succeeded actions: each gets its inverse action, queued at once */
        post: operations["undoActions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel actions not yet in a final state */
        post: operations["cancelActions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions/{id}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A connector's asynchronous result for an action it accepted (202) */
        post: operations["postActionResult"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/precision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Measured precision: what became of the actions investigations proposed, per action type and group, playbook, rule and analyzer */
        get: operations["getPrecision"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policy/shadow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Shadow automation: per group and action type, what the shadow level would have done against what analysts did */
        get: operations["getShadowAgreement"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The response policy: what is stored, and what is in force (stored over defaults) */
        get: operations["getPolicy"];
        /** Replace the stored policy document (fields left out take their defaults) */
        put: operations["putPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/device-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Device groups by rank (the default group last) with their automation levels */
        get: operations["listDeviceGroups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/device-groups/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Create or change a device group (rules, rank, automation level) */
        put: operations["putDeviceGroup"];
        post?: never;
        /** Delete a device group (not the default one) */
        delete: operations["deleteDeviceGroup"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mailbox-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Mailbox groups by rank (the default group last) with their automation levels */
        get: operations["listMailboxGroups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mailbox-groups/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Create or change a mailbox group (rules, rank, automation level) */
        put: operations["putMailboxGroup"];
        post?: never;
        /** Delete a mailbox group (not the default one) */
        delete: operations["deleteMailboxGroup"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** User groups by rank (the default group last) with their automation levels */
        get: operations["listUserGroups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user-groups/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Create or change a user group (rules, rank, automation level) */
        put: operations["putUserGroup"];
        post?: never;
        /** Delete a user group (not the default one) */
        delete: operations["deleteUserGroup"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tags on assets (used by group rules and protected tags) */
        get: operations["listTags"];
        put?: never;
        /** Tag an asset */
        post: operations["addTag"];
        /** Remove a tag from an asset */
        delete: operations["removeTag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stored connectors (secrets shown as ***) */
        get: operations["listConnectors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Create or replace a stored connector (docs/connectors.md) */
        put: operations["putConnector"];
        post?: never;
        /** Delete a stored connector */
        delete: operations["deleteConnector"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connectors/{name}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a stored connector: reachable, authenticated, permitted */
        post: operations["testConnector"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first: every write with actor, time, before and after */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API tokens (never their values) */
        get: operations["listTokens"];
        put?: never;
        /** Create an API token: its value is in this response only */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token (by id or name) */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Host agents, newest first, with whether each is online */
        get: operations["listAgents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/enrollment-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a one-time enrollment token for a host agent: its value is in this response only */
        post: operations["createEnrollmentToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an agent's credential: it is refused from now on */
        post: operations["revokeAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/enroll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An agent's first call: trade a one-time enrollment token for its own credential
         * @description The credential is in this response only; the server keeps its SHA-256.
         */
        post: operations["enrollAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An agent says it is alive (with `Authorization: Bearer <its credential>`), and may update its identity */
        post: operations["agentHeartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An agent's open tasks, waiting up to `wait` seconds for one (long poll); counts as a heartbeat
         * @description A task is delivered again until its result is reported: the agent applies each action once by its idempotency key.
         */
        get: operations["agentTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/tasks/{id}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An agent reports what came of a task: the action's result (audited) */
        post: operations["agentTaskResult"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feeds/ip.txt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The blocked addresses, one a line (an external dynamic list) */
        get: operations["feedIpList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feeds/domain.txt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The blocked domains, one a line (an external dynamic list) */
        get: operations["feedDomainList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feeds/url.txt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The blocked URLs, one a line (an external dynamic list) */
        get: operations["feedUrlList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feeds/rpz.zone": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The blocked domains and addresses as a DNS response-policy zone (RPZ), for resolvers */
        get: operations["feedRpz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/feeds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the blocklist feeds serve now, with the action behind each entry */
        get: operations["listFeedEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/feeds/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Feed tokens (never their values) */
        get: operations["listFeedTokens"];
        put?: never;
        /** Create a read-only feed token: its value is in this response only */
        post: operations["createFeedToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/feeds/tokens/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a feed token: the feeds refuse it from now on */
        post: operations["revokeFeedToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is signed in, with the CSRF token (for a page that was reloaded) */
        get: operations["getSession"];
        put?: never;
        /**
         * Sign in (web UI): a session cookie for a user name and password, or an API token
         * @description Sets `autoir_session` (HttpOnly, SameSite=Strict, Path=/, Secure over https). Send the returned `csrfToken` as `x-csrf-token` with every write made with the cookie. Needs `Content-Type: application/json` (a form on another site cannot send it). Five failed sign-ins for one user name within 15 minutes refuse that name for 15 minutes (429).
         */
        post: operations["signIn"];
        /**
         * Sign out: end the session and clear the cookie
         * @description With the cookie, it needs `x-csrf-token` like every write. With a bearer token, nothing ends.
         */
        delete: operations["signOut"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/session/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How one may sign in here: whether single sign-on is configured, whether local accounts exist */
        get: operations["signInProviders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/session/oidc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Single sign-on: redirects the browser to the OpenID Connect provider */
        get: operations["startSingleSignOn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/session/oidc/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Single sign-on: the provider's redirect back; opens a session and sends the browser to the UI */
        get: operations["finishSingleSignOn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Local accounts (never their passwords) */
        get: operations["listUsers"];
        put?: never;
        /** Create a local account */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a local account (and end its sessions) */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /**
         * Change a local account's role, password or disabled state
         * @description Disabling an account or changing its password signs it out everywhere (a password changed by its own user keeps the session it was changed in). A new role applies to its sessions at once.
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/api/v1/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open incidents by severity, pending actions and their wait, investigations by status, time to verdict */
        get: operations["getDashboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dashboard/charts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alerts over time by severity, investigations by outcome, time to verdict and to remediation, actions by decision */
        get: operations["getDashboardCharts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-sent events: `change` with what changed (investigations, actions) as it happens
         * @description Each event is `event: change` with data `{ "investigations": ms, "actions": ms }` (the latest change times). A comment line every 15 s keeps proxies from closing the connection.
         */
        get: operations["stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/plain; version=0.0.4: the metrics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The server is up and its store answers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                        version: string;
                        store: {
                            /** @enum {string} */
                            dialect: "sqlite" | "postgres";
                        };
                    };
                };
            };
            /** @description The store does not answer. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    listAlerts: {
        parameters: {
            query?: {
                /** @description Only these severities (comma-separated). */
                severity?: ("informational" | "low" | "medium" | "high" | "critical")[];
                /** @description Only this severity or higher. */
                minSeverity?: "informational" | "low" | "medium" | "high" | "critical";
                /** @description Only alerts from these sources. */
                source?: string[];
                /** @description Only these categories. */
                category?: string[];
                detector?: string;
                /** @description ATT&CK technique; also matches its sub-techniques. */
                technique?: string;
                /** @description Only alerts naming this entity key. */
                entity?: string;
                /** @description Only alerts of this incident; `none` for alerts in no incident. */
                incidentId?: string;
                /** @description Alert time from (inclusive). */
                since?: string;
                /** @description Alert time until (exclusive). */
                until?: string;
                /** @description Text in the title. */
                q?: string;
                /** @description Only alerts in these statuses (comma-separated). */
                status?: ("new" | "inProgress" | "resolved")[];
                limit?: number;
                /** @description nextCursor of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of alerts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            source: string;
                            sourceRef: string;
                            title: string;
                            description?: string;
                            /** @enum {string} */
                            severity: "informational" | "low" | "medium" | "high" | "critical";
                            category?: string;
                            detector?: string;
                            mitreTechniques: string[];
                            /** @description When the detector raised the alert (ISO 8601). */
                            createdAt: string;
                            firstActivityAt?: string;
                            lastActivityAt?: string;
                            incidentId: string | null;
                            entities: ({
                                /** @enum {string} */
                                type: "device" | "user" | "mailbox" | "mailMessage" | "mailCluster" | "file" | "process" | "ip" | "url" | "domain" | "registryKey" | "registryValue" | "service" | "scheduledTask" | "cloudApp";
                                /** @description Stable entity key, e.g. device:mkt01.pandalab.com */
                                key: string;
                                /** @description The entity as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`, `MKT01`. */
                                label?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            ingestedAt: string;
                            updatedAt: string;
                            /** @description The input format the alert was read from. */
                            format: string;
                            /** @enum {string} */
                            status?: "new" | "inProgress" | "resolved";
                            /** @description Who set the status: `automation` (its investigation found nothing) or `analyst:<name>`. */
                            statusSetBy?: string;
                            /** @description The record as it arrived (with include=raw). */
                            raw?: unknown;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A bad filter or cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    ingestAlerts: {
        parameters: {
            query?: {
                /** @description Read every item as this format instead of sniffing. */
                format?: "autoir" | "msgraph" | "ocsf" | "elastic" | "wazuh" | "suricata" | "cef";
                strict?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description One alert object, a JSON array of them, or NDJSON. */
        requestBody: {
            content: {
                "application/json": string;
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description Per-item results; at least one item was stored, or the body held no items. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created: number;
                        updated: number;
                        skipped: number;
                        errors: number;
                        /** @description False when strict mode stored nothing because of errors. */
                        stored: boolean;
                        results: {
                            /** @description Position of the item in the body (0-based). */
                            index: number;
                            /** @description Line of the body where the item starts. */
                            line: number;
                            /** @enum {string} */
                            status: "created" | "updated" | "skipped" | "error";
                            id?: string;
                            format?: string;
                            error?: {
                                code: string;
                                message: string;
                                field?: string;
                            };
                        }[];
                    };
                };
            };
            /** @description No item could be stored (or strict mode and an item was bad); per-item results say why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created: number;
                        updated: number;
                        skipped: number;
                        errors: number;
                        /** @description False when strict mode stored nothing because of errors. */
                        stored: boolean;
                        results: {
                            /** @description Position of the item in the body (0-based). */
                            index: number;
                            /** @description Line of the body where the item starts. */
                            line: number;
                            /** @enum {string} */
                            status: "created" | "updated" | "skipped" | "error";
                            id?: string;
                            format?: string;
                            error?: {
                                code: string;
                                message: string;
                                field?: string;
                            };
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the ingest role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    getAlert: {
        parameters: {
            query?: {
                /** @description `raw` adds the record as it arrived. */
                include?: "raw";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The alert. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        source: string;
                        sourceRef: string;
                        title: string;
                        description?: string;
                        /** @enum {string} */
                        severity: "informational" | "low" | "medium" | "high" | "critical";
                        category?: string;
                        detector?: string;
                        mitreTechniques: string[];
                        /** @description When the detector raised the alert (ISO 8601). */
                        createdAt: string;
                        firstActivityAt?: string;
                        lastActivityAt?: string;
                        incidentId: string | null;
                        entities: ({
                            /** @enum {string} */
                            type: "device" | "user" | "mailbox" | "mailMessage" | "mailCluster" | "file" | "process" | "ip" | "url" | "domain" | "registryKey" | "registryValue" | "service" | "scheduledTask" | "cloudApp";
                            /** @description Stable entity key, e.g. device:mkt01.pandalab.com */
                            key: string;
                            /** @description The entity as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`, `MKT01`. */
                            label?: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                        ingestedAt: string;
                        updatedAt: string;
                        /** @description The input format the alert was read from. */
                        format: string;
                        /** @enum {string} */
                        status?: "new" | "inProgress" | "resolved";
                        /** @description Who set the status: `automation` (its investigation found nothing) or `analyst:<name>`. */
                        statusSetBy?: string;
                        /** @description The record as it arrived (with include=raw). */
                        raw?: unknown;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such alert. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    updateAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status: "new" | "inProgress" | "resolved";
                };
            };
        };
        responses: {
            /** @description The alert, changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        source: string;
                        sourceRef: string;
                        title: string;
                        description?: string;
                        /** @enum {string} */
                        severity: "informational" | "low" | "medium" | "high" | "critical";
                        category?: string;
                        detector?: string;
                        mitreTechniques: string[];
                        /** @description When the detector raised the alert (ISO 8601). */
                        createdAt: string;
                        firstActivityAt?: string;
                        lastActivityAt?: string;
                        incidentId: string | null;
                        entities: ({
                            /** @enum {string} */
                            type: "device" | "user" | "mailbox" | "mailMessage" | "mailCluster" | "file" | "process" | "ip" | "url" | "domain" | "registryKey" | "registryValue" | "service" | "scheduledTask" | "cloudApp";
                            /** @description Stable entity key, e.g. device:mkt01.pandalab.com */
                            key: string;
                            /** @description The entity as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`, `MKT01`. */
                            label?: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                        ingestedAt: string;
                        updatedAt: string;
                        /** @description The input format the alert was read from. */
                        format: string;
                        /** @enum {string} */
                        status?: "new" | "inProgress" | "resolved";
                        /** @description Who set the status: `automation` (its investigation found nothing) or `analyst:<name>`. */
                        statusSetBy?: string;
                        /** @description The record as it arrived (with include=raw). */
                        raw?: unknown;
                    };
                };
            };
            /** @description A bad status. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the analyst role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such alert. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    setAlertStatuses: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Alert ids (`alr_…`). */
                    ids: string[];
                    /** @enum {string} */
                    status: "new" | "inProgress" | "resolved";
                };
            };
        };
        responses: {
            /** @description How many alerts were set. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        updated: number;
                        /** @enum {string} */
                        status: "new" | "inProgress" | "resolved";
                    };
                };
            };
            /** @description A bad body. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the analyst role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An id names no alert: nothing was changed. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listInputs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Each input as its process last reported it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @description `file`, `syslog`, or `http` (a serving process's HTTP ingest endpoints). */
                        kind: string;
                        /** @description `running`, `paused` (the store is behind: reading stopped), `failed` (retrying; `detail` says why), `stopped`, `down` (its process stopped reporting), `not started`. */
                        state: string;
                        /** @description Where it reads from, or why it failed. */
                        detail: string | null;
                        /** @description The process running it (`host:pid:inputs`). */
                        owner: string | null;
                        startedAt: string | null;
                        /** @description When its process last reported. */
                        heartbeatAt: string | null;
                        /** @description How long the oldest thing received and not yet stored has waited. */
                        lagSeconds: number | null;
                        /** @description Configured in the serving process. */
                        configuredHere: boolean;
                        /** @description Counters since it started: events, alerts, errors, batches… */
                        stats: {
                            [key: string]: unknown;
                        };
                    }[];
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    searchEvents: {
        parameters: {
            query?: {
                /** @description On this device: a `device:` key or a host name (short names match). */
                device?: string;
                /** @description Naming this user: `domain\name`, a UPN or a SID (`user:` optional). */
                user?: string;
                /** @description Naming a file with this SHA-256. */
                sha256?: string;
                /** @description Naming a file with this SHA-256, SHA-1 or MD5. */
                hash?: string;
                /** @description Naming this IP address (source or destination). */
                ip?: string;
                /** @description Naming this domain. */
                domain?: string;
                /** @description Naming this URL. */
                url?: string;
                /** @description Naming this entity key (repeat the parameter for several: each must be named). */
                entity?: string | string[];
                /** @description Done by this process (`process:` key). */
                process?: string;
                /** @description Only these kinds (comma-separated): processStart, processEnd, processAccess, remoteThread, processTampering, imageLoad, driverLoad, fileCreate, fileDelete, fileModify, fileStream, fileTimestamp, rawDiskAccess, registryCreate, registryDelete, registrySet, registryRename, pipeCreate, pipeConnect, wmiEvent, networkConnection, dnsQuery, httpRequest, tlsHandshake, certificate, fileTransfer, shareAccess, smbMapping, logon, logonFailed, logoff, explicitCredentials, specialPrivileges, kerberosTgt, kerberosService, credentialValidation, accountCreate, accountChange, serviceInstall, taskCreate, taskChange, scriptBlock, pipelineExecution, emailDelivered, urlClick, mailboxRule, other. */
                kind?: string;
                /** @description Event time from (inclusive, ISO 8601). */
                since?: string;
                /** @description Event time until (exclusive, ISO 8601). */
                until?: string;
                /** @description `desc`: newest first; `asc`: a timeline. */
                order?: "desc" | "asc";
                limit?: number;
                /** @description nextCursor of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: ({
                            /** @description `evt_<n>`. */
                            id: string;
                            /** @description When it happened (ISO 8601). */
                            time: string;
                            ingestedAt: string;
                            format: string;
                            /** @description The log or product it came from, e.g. Microsoft-Windows-Sysmon/Operational. */
                            source: string;
                            /** @description The source’s own event id, e.g. Sysmon 1. */
                            code: string;
                            /** @enum {string} */
                            kind: "processStart" | "processEnd" | "processAccess" | "remoteThread" | "processTampering" | "imageLoad" | "driverLoad" | "fileCreate" | "fileDelete" | "fileModify" | "fileStream" | "fileTimestamp" | "rawDiskAccess" | "registryCreate" | "registryDelete" | "registrySet" | "registryRename" | "pipeCreate" | "pipeConnect" | "wmiEvent" | "networkConnection" | "dnsQuery" | "httpRequest" | "tlsHandshake" | "certificate" | "fileTransfer" | "shareAccess" | "smbMapping" | "logon" | "logonFailed" | "logoff" | "explicitCredentials" | "specialPrivileges" | "kerberosTgt" | "kerberosService" | "credentialValidation" | "accountCreate" | "accountChange" | "serviceInstall" | "taskCreate" | "taskChange" | "scriptBlock" | "pipelineExecution" | "emailDelivered" | "urlClick" | "mailboxRule" | "other";
                            deviceKey?: string;
                            userKey?: string;
                            processKey?: string;
                            parentProcessKey?: string;
                            imagePath?: string;
                            commandLine?: string;
                            sha256?: string;
                            targetPath?: string;
                            srcIp?: string;
                            srcPort?: number;
                            dstIp?: string;
                            dstPort?: number;
                            domain?: string;
                            url?: string;
                            /** @description The entity keys it names (what it is found by). */
                            keys: string[];
                            /** @description The record as it arrived (with include=raw). */
                            raw?: unknown;
                        } & {
                            [key: string]: unknown;
                        })[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A term that is not what it names, or a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    ingestEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Records in any format `autoir ingest` reads. */
        requestBody: {
            content: {
                "application/json": string;
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description Stored (bad records listed). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: number;
                        duplicateEvents: number;
                        alerts: number;
                        errors: {
                            line?: number;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the ingest role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Busy: send again after Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    esInfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Name, cluster and version, as Elasticsearch answers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the ingest role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    esBulk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Action lines ({"index":{…}} or {"create":{…}}), each followed by its document. */
        requestBody: {
            content: {
                "application/x-ndjson": string;
                "application/json": string;
                "application/vnd.elasticsearch+x-ndjson": string;
            };
        };
        responses: {
            /** @description Per-item results, as Elasticsearch answers (429 items when busy: send them again). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the ingest role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    esIndexBulk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Action lines ({"index":{…}} or {"create":{…}}), each followed by its document. */
        requestBody: {
            content: {
                "application/x-ndjson": string;
                "application/json": string;
                "application/vnd.elasticsearch+x-ndjson": string;
            };
        };
        responses: {
            /** @description Per-item results, as Elasticsearch answers (429 items when busy: send them again). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the ingest role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    hecEvent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description HEC events. */
        requestBody: {
            content: {
                "application/json": string;
                "text/plain": string;
            };
        };
        responses: {
            /** @description {"text":"Success","code":0} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No data, or no event in it (code 5 / 6). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the ingest role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Busy: send again after Retry-After (code 9). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    hecEventRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description HEC events. */
        requestBody: {
            content: {
                "application/json": string;
                "text/plain": string;
            };
        };
        responses: {
            /** @description {"text":"Success","code":0} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No data, or no event in it (code 5 / 6). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the ingest role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Busy: send again after Retry-After (code 9). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    hecEventV1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description HEC events. */
        requestBody: {
            content: {
                "application/json": string;
                "text/plain": string;
            };
        };
        responses: {
            /** @description {"text":"Success","code":0} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No data, or no event in it (code 5 / 6). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the ingest role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Busy: send again after Retry-After (code 9). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    hecRaw: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Lines. */
        requestBody: {
            content: {
                "application/json": string;
                "text/plain": string;
            };
        };
        responses: {
            /** @description {"text":"Success","code":0} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No data, or no event in it (code 5 / 6). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the ingest role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Busy: send again after Retry-After (code 9). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    hecRawV1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Lines. */
        requestBody: {
            content: {
                "application/json": string;
                "text/plain": string;
            };
        };
        responses: {
            /** @description {"text":"Success","code":0} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No data, or no event in it (code 5 / 6). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the ingest role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Busy: send again after Retry-After (code 9). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getEvent: {
        parameters: {
            query?: {
                /** @description `raw` adds the record as it arrived. */
                include?: "raw";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description `evt_<n>`. */
                        id: string;
                        /** @description When it happened (ISO 8601). */
                        time: string;
                        ingestedAt: string;
                        format: string;
                        /** @description The log or product it came from, e.g. Microsoft-Windows-Sysmon/Operational. */
                        source: string;
                        /** @description The source’s own event id, e.g. Sysmon 1. */
                        code: string;
                        /** @enum {string} */
                        kind: "processStart" | "processEnd" | "processAccess" | "remoteThread" | "processTampering" | "imageLoad" | "driverLoad" | "fileCreate" | "fileDelete" | "fileModify" | "fileStream" | "fileTimestamp" | "rawDiskAccess" | "registryCreate" | "registryDelete" | "registrySet" | "registryRename" | "pipeCreate" | "pipeConnect" | "wmiEvent" | "networkConnection" | "dnsQuery" | "httpRequest" | "tlsHandshake" | "certificate" | "fileTransfer" | "shareAccess" | "smbMapping" | "logon" | "logonFailed" | "logoff" | "explicitCredentials" | "specialPrivileges" | "kerberosTgt" | "kerberosService" | "credentialValidation" | "accountCreate" | "accountChange" | "serviceInstall" | "taskCreate" | "taskChange" | "scriptBlock" | "pipelineExecution" | "emailDelivered" | "urlClick" | "mailboxRule" | "other";
                        deviceKey?: string;
                        userKey?: string;
                        processKey?: string;
                        parentProcessKey?: string;
                        imagePath?: string;
                        commandLine?: string;
                        sha256?: string;
                        targetPath?: string;
                        srcIp?: string;
                        srcPort?: number;
                        dstIp?: string;
                        dstPort?: number;
                        domain?: string;
                        url?: string;
                        /** @description The entity keys it names (what it is found by). */
                        keys: string[];
                        /** @description The record as it arrived (with include=raw). */
                        raw?: unknown;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such event. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listRules: {
        parameters: {
            query?: {
                /** @description Text in the title, id or technique. */
                q?: string;
                /** @description Only rules switched on (`true`) or off (`false`). */
                enabled?: "true" | "false";
                /** @description Only this level. */
                level?: string;
                /** @description `alerts`: the noisiest first; `title`; `level`: the most severe first. */
                sort?: "alerts" | "title" | "level";
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of rules, and how many match and run in all. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description The Sigma rule id (its title when it has none). */
                            id: string;
                            title: string;
                            level: string | null;
                            status: string | null;
                            description: string | null;
                            logsource: {
                                product?: string;
                                category?: string;
                                service?: string;
                            };
                            techniques: string[];
                            falsepositives: string[];
                            /** @description Where it was loaded from, relative to its rule folder. */
                            file: string;
                            enabled: boolean;
                            /** @description Who switched it off, when and why. */
                            switchedOff: {
                                by: string;
                                at: string;
                                reason?: string;
                            } | null;
                            /** @description Alerts it raised (stored). */
                            alerts: number;
                            lastAlertAt: string | null;
                        }[];
                        /** @description Rules matching the filters. */
                        total: number;
                        /** @description Rules loaded in all. */
                        loaded: number;
                        /** @description Rules switched off in all. */
                        switchedOff: number;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    switchRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enabled: boolean;
                    /** @description Why (kept with the switch and in the audit log). */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The rule is switched as asked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        enabled: boolean;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No rule with this id runs here. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listIncidents: {
        parameters: {
            query?: {
                /** @description Default active,resolved. */
                status?: ("active" | "resolved" | "redirected")[];
                minSeverity?: "informational" | "low" | "medium" | "high" | "critical";
                /** @description Only these severities. */
                severity?: ("informational" | "low" | "medium" | "high" | "critical")[];
                /** @description Descending; a cursor belongs to the sort it came from. */
                sort?: "lastActivity" | "firstActivity" | "created" | "severity" | "alerts";
                /** @description Add `total` and `bySeverity` (counts of every match, not only this page). */
                count?: "true" | "false";
                assignedTo?: string;
                tag?: string;
                /** @description Incidents with this entity key among their main entities. */
                entity?: string;
                /** @description Active since. */
                since?: string;
                /** @description Active before. */
                until?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of incidents. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            title: string;
                            /** @enum {string} */
                            severity: "informational" | "low" | "medium" | "high" | "critical";
                            /** @enum {string} */
                            status: "active" | "resolved" | "redirected";
                            /** @enum {string} */
                            classification: "unknown" | "truePositive" | "falsePositive" | "informationalExpectedActivity";
                            determination: string | null;
                            assignedTo: string | null;
                            tags: string[];
                            alertCount: number;
                            firstActivityAt: string;
                            lastActivityAt: string;
                            /** @description The incident this one was merged into. */
                            redirectedTo: string | null;
                            entities: {
                                type: string;
                                key: string;
                                alerts: number;
                            }[];
                            createdAt: string;
                            updatedAt: string;
                        }[];
                        nextCursor: string | null;
                        total?: number;
                        bySeverity?: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description A bad filter or cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    getIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The incident. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        title: string;
                        /** @enum {string} */
                        severity: "informational" | "low" | "medium" | "high" | "critical";
                        /** @enum {string} */
                        status: "active" | "resolved" | "redirected";
                        /** @enum {string} */
                        classification: "unknown" | "truePositive" | "falsePositive" | "informationalExpectedActivity";
                        determination: string | null;
                        assignedTo: string | null;
                        tags: string[];
                        alertCount: number;
                        firstActivityAt: string;
                        lastActivityAt: string;
                        /** @description The incident this one was merged into. */
                        redirectedTo: string | null;
                        entities: {
                            type: string;
                            key: string;
                            alerts: number;
                        }[];
                        createdAt: string;
                        updatedAt: string;
                        alertIds: string[];
                        /** @description Which alert joined which, through which entity. */
                        links: {
                            alertId: string;
                            otherAlertId: string;
                            entityKey: string;
                        }[];
                        merges: {
                            from: string;
                            at: string;
                            alertId: string | null;
                            entityKey: string | null;
                        }[];
                        comments: {
                            author: string;
                            text: string;
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such incident. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    updateIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status?: "active" | "resolved";
                    /** @enum {string} */
                    classification?: "unknown" | "truePositive" | "falsePositive" | "informationalExpectedActivity";
                    determination?: string | null;
                    assignedTo?: string | null;
                    tags?: string[];
                };
            };
        };
        responses: {
            /** @description The incident, changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        title: string;
                        /** @enum {string} */
                        severity: "informational" | "low" | "medium" | "high" | "critical";
                        /** @enum {string} */
                        status: "active" | "resolved" | "redirected";
                        /** @enum {string} */
                        classification: "unknown" | "truePositive" | "falsePositive" | "informationalExpectedActivity";
                        determination: string | null;
                        assignedTo: string | null;
                        tags: string[];
                        alertCount: number;
                        firstActivityAt: string;
                        lastActivityAt: string;
                        /** @description The incident this one was merged into. */
                        redirectedTo: string | null;
                        entities: {
                            type: string;
                            key: string;
                            alerts: number;
                        }[];
                        createdAt: string;
                        updatedAt: string;
                        alertIds: string[];
                        /** @description Which alert joined which, through which entity. */
                        links: {
                            alertId: string;
                            otherAlertId: string;
                            entityKey: string;
                        }[];
                        merges: {
                            from: string;
                            at: string;
                            alertId: string | null;
                            entityKey: string | null;
                        }[];
                        comments: {
                            author: string;
                            text: string;
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description A bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the analyst role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such incident. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The incident was merged into another. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    commentIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    text: string;
                };
            };
        };
        responses: {
            /** @description The incident with the comment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        title: string;
                        /** @enum {string} */
                        severity: "informational" | "low" | "medium" | "high" | "critical";
                        /** @enum {string} */
                        status: "active" | "resolved" | "redirected";
                        /** @enum {string} */
                        classification: "unknown" | "truePositive" | "falsePositive" | "informationalExpectedActivity";
                        determination: string | null;
                        assignedTo: string | null;
                        tags: string[];
                        alertCount: number;
                        firstActivityAt: string;
                        lastActivityAt: string;
                        /** @description The incident this one was merged into. */
                        redirectedTo: string | null;
                        entities: {
                            type: string;
                            key: string;
                            alerts: number;
                        }[];
                        createdAt: string;
                        updatedAt: string;
                        alertIds: string[];
                        /** @description Which alert joined which, through which entity. */
                        links: {
                            alertId: string;
                            otherAlertId: string;
                            entityKey: string;
                        }[];
                        merges: {
                            from: string;
                            at: string;
                            alertId: string | null;
                            entityKey: string | null;
                        }[];
                        comments: {
                            author: string;
                            text: string;
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description No text. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the analyst role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such incident. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listInvestigations: {
        parameters: {
            query?: {
                status?: ("queued" | "running" | "pendingApproval" | "pendingResource" | "remediated" | "partiallyRemediated" | "noThreatsFound" | "benign" | "partiallyInvestigated" | "failed" | "terminatedByUser" | "terminatedBySystem" | "unsupportedAlertType")[];
                incidentId?: string;
                playbook?: string;
                /** @description Only investigations holding this entity key as evidence. */
                entity?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of investigations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            incidentId: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "pendingApproval" | "pendingResource" | "remediated" | "partiallyRemediated" | "noThreatsFound" | "benign" | "partiallyInvestigated" | "failed" | "terminatedByUser" | "terminatedBySystem" | "unsupportedAlertType";
                            statusReason: string | null;
                            playbook: string;
                            createdAt: string;
                            startedAt: string | null;
                            endedAt: string | null;
                            alertCount: number;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A bad filter or cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    startInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description inc_…, device:host, user:domain\name or mailbox:address */
                    target: string;
                    comment?: string;
                    playbook?: string;
                };
            };
        };
        responses: {
            /** @description Queued. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        incidentId: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "pendingApproval" | "pendingResource" | "remediated" | "partiallyRemediated" | "noThreatsFound" | "benign" | "partiallyInvestigated" | "failed" | "terminatedByUser" | "terminatedBySystem" | "unsupportedAlertType";
                        statusReason: string | null;
                        playbook: string;
                        trigger: {
                            [key: string]: unknown;
                        };
                        createdAt: string;
                        startedAt: string | null;
                        endedAt: string | null;
                        alertIds: string[];
                        /** @description How a score becomes a verdict (docs/verdicts.md): ≥ malicious → malicious, ≥ suspicious → suspicious; a finding of weight ≥ block (a block indicator) convicts, ≤ allow (an allow indicator) clears. */
                        thresholds: {
                            malicious: number;
                            suspicious: number;
                            block: number;
                            allow: number;
                        };
                        evidence: {
                            type: string;
                            key: string;
                            /** @description Other keys of the same thing merged into this evidence (a process pid key, a file path key). */
                            aliases: string[];
                            /** @description The evidence in words: `process winx64_payload.exe (pid 1988) on mkt01…`. */
                            label: string;
                            /** @description As an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                            name: string;
                            /** @enum {string} */
                            verdict: "malicious" | "suspicious" | "noThreatsFound" | "unknown";
                            score: number;
                            roles: string[];
                            remediationStatus: string;
                            origin: string;
                            /** @description What decided the verdict (docs/verdicts.md). */
                            findings: {
                                analyzer: string;
                                weight: number;
                                text: string;
                            }[];
                            relations: {
                                kind: string;
                                key: string;
                            }[];
                        }[];
                        actions: {
                            /** @description The action (`act_<n>`) once planned, the proposal (`prp_<n>`) before. */
                            id: string;
                            type: string;
                            targetKey: string;
                            /** @description The target as an analyst names it. */
                            targetName: string;
                            deviceKey: string | null;
                            /** @description `proposed`, `skipped`, `refused` (a critical-asset guardrail forbids it), or the action status. */
                            status: string;
                            proposalId: string;
                            decisionRule: string | null;
                            reasons: string[];
                        }[];
                        log: {
                            step: string;
                            startedAt: string;
                            durationMs: number;
                            result: string;
                            waitedMs: number;
                            waitedAs: string | null;
                            worker: string;
                        }[];
                    };
                };
            };
            /** @description Not something to investigate, or an unknown playbook. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the analyst role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such incident. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    getInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The investigation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        incidentId: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "pendingApproval" | "pendingResource" | "remediated" | "partiallyRemediated" | "noThreatsFound" | "benign" | "partiallyInvestigated" | "failed" | "terminatedByUser" | "terminatedBySystem" | "unsupportedAlertType";
                        statusReason: string | null;
                        playbook: string;
                        trigger: {
                            [key: string]: unknown;
                        };
                        createdAt: string;
                        startedAt: string | null;
                        endedAt: string | null;
                        alertIds: string[];
                        /** @description How a score becomes a verdict (docs/verdicts.md): ≥ malicious → malicious, ≥ suspicious → suspicious; a finding of weight ≥ block (a block indicator) convicts, ≤ allow (an allow indicator) clears. */
                        thresholds: {
                            malicious: number;
                            suspicious: number;
                            block: number;
                            allow: number;
                        };
                        evidence: {
                            type: string;
                            key: string;
                            /** @description Other keys of the same thing merged into this evidence (a process pid key, a file path key). */
                            aliases: string[];
                            /** @description The evidence in words: `process winx64_payload.exe (pid 1988) on mkt01…`. */
                            label: string;
                            /** @description As an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                            name: string;
                            /** @enum {string} */
                            verdict: "malicious" | "suspicious" | "noThreatsFound" | "unknown";
                            score: number;
                            roles: string[];
                            remediationStatus: string;
                            origin: string;
                            /** @description What decided the verdict (docs/verdicts.md). */
                            findings: {
                                analyzer: string;
                                weight: number;
                                text: string;
                            }[];
                            relations: {
                                kind: string;
                                key: string;
                            }[];
                        }[];
                        actions: {
                            /** @description The action (`act_<n>`) once planned, the proposal (`prp_<n>`) before. */
                            id: string;
                            type: string;
                            targetKey: string;
                            /** @description The target as an analyst names it. */
                            targetName: string;
                            deviceKey: string | null;
                            /** @description `proposed`, `skipped`, `refused` (a critical-asset guardrail forbids it), or the action status. */
                            status: string;
                            proposalId: string;
                            decisionRule: string | null;
                            reasons: string[];
                        }[];
                        log: {
                            step: string;
                            startedAt: string;
                            durationMs: number;
                            result: string;
                            waitedMs: number;
                            waitedAs: string | null;
                            worker: string;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such investigation. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    giveEvidenceFeedback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The evidence, by its key in the investigation. */
                    evidenceKey: string;
                    /** @constant */
                    verdict: "wrong";
                    reason: string;
                    /** @description Allow what the evidence is (a process: the file it runs) in later investigations until then: a finding of its own, listed with the indicators (source lesson), removed to undo. */
                    lesson?: {
                        /** @description How long it holds: 30d, 12h… (at most 365 days). */
                        for: string;
                    };
                };
            };
        };
        responses: {
            /** @description Recorded (in the audit log); the lesson, when asked for. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        investigationId: string;
                        evidenceKey: string;
                        lesson: {
                            id: string;
                            entityKey: string;
                            /** @enum {string} */
                            action: "allow" | "block";
                            title?: string;
                            description?: string;
                            source: string;
                            sourceRef?: string;
                            /** @enum {string} */
                            severity?: "informational" | "low" | "medium" | "high" | "critical";
                            expiresAt?: string;
                            createdAt: string;
                            createdBy: string;
                        } | null;
                    };
                };
            };
            /** @description A bad field (a duration beyond a year). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the analyst role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such investigation or evidence. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    cancelInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description Cancelled. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        incidentId: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "pendingApproval" | "pendingResource" | "remediated" | "partiallyRemediated" | "noThreatsFound" | "benign" | "partiallyInvestigated" | "failed" | "terminatedByUser" | "terminatedBySystem" | "unsupportedAlertType";
                        statusReason: string | null;
                        playbook: string;
                        trigger: {
                            [key: string]: unknown;
                        };
                        createdAt: string;
                        startedAt: string | null;
                        endedAt: string | null;
                        alertIds: string[];
                        /** @description How a score becomes a verdict (docs/verdicts.md): ≥ malicious → malicious, ≥ suspicious → suspicious; a finding of weight ≥ block (a block indicator) convicts, ≤ allow (an allow indicator) clears. */
                        thresholds: {
                            malicious: number;
                            suspicious: number;
                            block: number;
                            allow: number;
                        };
                        evidence: {
                            type: string;
                            key: string;
                            /** @description Other keys of the same thing merged into this evidence (a process pid key, a file path key). */
                            aliases: string[];
                            /** @description The evidence in words: `process winx64_payload.exe (pid 1988) on mkt01…`. */
                            label: string;
                            /** @description As an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                            name: string;
                            /** @enum {string} */
                            verdict: "malicious" | "suspicious" | "noThreatsFound" | "unknown";
                            score: number;
                            roles: string[];
                            remediationStatus: string;
                            origin: string;
                            /** @description What decided the verdict (docs/verdicts.md). */
                            findings: {
                                analyzer: string;
                                weight: number;
                                text: string;
                            }[];
                            relations: {
                                kind: string;
                                key: string;
                            }[];
                        }[];
                        actions: {
                            /** @description The action (`act_<n>`) once planned, the proposal (`prp_<n>`) before. */
                            id: string;
                            type: string;
                            targetKey: string;
                            /** @description The target as an analyst names it. */
                            targetName: string;
                            deviceKey: string | null;
                            /** @description `proposed`, `skipped`, `refused` (a critical-asset guardrail forbids it), or the action status. */
                            status: string;
                            proposalId: string;
                            decisionRule: string | null;
                            reasons: string[];
                        }[];
                        log: {
                            step: string;
                            startedAt: string;
                            durationMs: number;
                            result: string;
                            waitedMs: number;
                            waitedAs: string | null;
                            worker: string;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the responder role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such investigation. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description It had ended already. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    approveExpansion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Resumed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        incidentId: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "pendingApproval" | "pendingResource" | "remediated" | "partiallyRemediated" | "noThreatsFound" | "benign" | "partiallyInvestigated" | "failed" | "terminatedByUser" | "terminatedBySystem" | "unsupportedAlertType";
                        statusReason: string | null;
                        playbook: string;
                        trigger: {
                            [key: string]: unknown;
                        };
                        createdAt: string;
                        startedAt: string | null;
                        endedAt: string | null;
                        alertIds: string[];
                        /** @description How a score becomes a verdict (docs/verdicts.md): ≥ malicious → malicious, ≥ suspicious → suspicious; a finding of weight ≥ block (a block indicator) convicts, ≤ allow (an allow indicator) clears. */
                        thresholds: {
                            malicious: number;
                            suspicious: number;
                            block: number;
                            allow: number;
                        };
                        evidence: {
                            type: string;
                            key: string;
                            /** @description Other keys of the same thing merged into this evidence (a process pid key, a file path key). */
                            aliases: string[];
                            /** @description The evidence in words: `process winx64_payload.exe (pid 1988) on mkt01…`. */
                            label: string;
                            /** @description As an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                            name: string;
                            /** @enum {string} */
                            verdict: "malicious" | "suspicious" | "noThreatsFound" | "unknown";
                            score: number;
                            roles: string[];
                            remediationStatus: string;
                            origin: string;
                            /** @description What decided the verdict (docs/verdicts.md). */
                            findings: {
                                analyzer: string;
                                weight: number;
                                text: string;
                            }[];
                            relations: {
                                kind: string;
                                key: string;
                            }[];
                        }[];
                        actions: {
                            /** @description The action (`act_<n>`) once planned, the proposal (`prp_<n>`) before. */
                            id: string;
                            type: string;
                            targetKey: string;
                            /** @description The target as an analyst names it. */
                            targetName: string;
                            deviceKey: string | null;
                            /** @description `proposed`, `skipped`, `refused` (a critical-asset guardrail forbids it), or the action status. */
                            status: string;
                            proposalId: string;
                            decisionRule: string | null;
                            reasons: string[];
                        }[];
                        log: {
                            step: string;
                            startedAt: string;
                            durationMs: number;
                            result: string;
                            waitedMs: number;
                            waitedAs: string | null;
                            worker: string;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the responder role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such investigation. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No expansion waits. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listIndicators: {
        parameters: {
            query?: {
                action?: "allow" | "block";
                entityKey?: string;
                source?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of indicators. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            entityKey: string;
                            /** @enum {string} */
                            action: "allow" | "block";
                            title?: string;
                            description?: string;
                            source: string;
                            sourceRef?: string;
                            /** @enum {string} */
                            severity?: "informational" | "low" | "medium" | "high" | "critical";
                            expiresAt?: string;
                            createdAt: string;
                            createdBy: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    addIndicator: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    entityKey: string;
                    /** @enum {string} */
                    action: "allow" | "block";
                    title?: string;
                    description?: string;
                    /** @enum {string} */
                    severity?: "informational" | "low" | "medium" | "high" | "critical";
                    expiresAt?: string;
                };
            };
        };
        responses: {
            /** @description Stored. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        entityKey: string;
                        /** @enum {string} */
                        action: "allow" | "block";
                        title?: string;
                        description?: string;
                        source: string;
                        sourceRef?: string;
                        /** @enum {string} */
                        severity?: "informational" | "low" | "medium" | "high" | "critical";
                        expiresAt?: string;
                        createdAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Not a file hash, IP, domain, URL or mailbox key. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    importIndicators: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description What was imported, and what was not with the reason. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        format: "stix" | "misp";
                        imported: number;
                        skipped: {
                            ref: string;
                            reason: string;
                        }[];
                    };
                };
            };
            /** @description A STIX bundle or MISP event, malformed (the message names where). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Neither a STIX bundle nor a MISP event. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    removeIndicator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        removed: string;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such indicator. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listActionTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every action type autoir knows, in catalog order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @enum {string} */
                            type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                            title: string;
                            /** @description Entity types its target may be. */
                            targets: ("device" | "user" | "mailbox" | "mailMessage" | "mailCluster" | "file" | "process" | "ip" | "url" | "domain" | "registryKey" | "registryValue" | "service" | "scheduledTask" | "cloudApp")[];
                            /**
                             * @description Whose group's automation level decides it.
                             * @enum {string}
                             */
                            scope: "device" | "mailbox" | "user" | "organization";
                            /** @description The action that undoes it, if any. */
                            undoType: ("isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp") | null;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listActions: {
        parameters: {
            query?: {
                status?: ("pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone")[];
                type?: ("isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp")[];
                source?: ("investigation" | "analyst" | "undo")[];
                investigation?: string;
                group?: string;
                target?: string;
                /** @description Actions on this device (`device:` key): its own and those on what runs on it. */
                device?: string;
                since?: string;
                until?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of actions, and how many match. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                            title: string;
                            targetKey: string;
                            /** @description The target as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                            targetName: string;
                            deviceKey: string | null;
                            group: {
                                kind: string;
                                name: string;
                            } | null;
                            investigationId: string | null;
                            evidenceKey: string | null;
                            verdict: string | null;
                            /** @enum {string} */
                            source: "investigation" | "analyst" | "undo";
                            /** @enum {string} */
                            status: "pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone";
                            parameters: {
                                [key: string]: unknown;
                            };
                            reasons: string[];
                            requestedBy: string;
                            /** @description `token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation. */
                            decidedBy: string | null;
                            decidedAt: string | null;
                            /** @description The policy rule that decided, in words. */
                            decisionRule: string | null;
                            comment: string | null;
                            undoOf: string | null;
                            undoneBy: string | null;
                            idempotencyKey: string;
                            connector: string | null;
                            attempts: number;
                            nextAttemptAt: string | null;
                            awaitingCallback: boolean;
                            unreachableSince: string | null;
                            resultMessage: string | null;
                            resultDetails: {
                                [key: string]: unknown;
                            } | null;
                            createdAt: string;
                            updatedAt: string;
                            expiresAt: string | null;
                            startedAt: string | null;
                            endedAt: string | null;
                            /** @description A group in shadow: what its shadow level would have done (`approve`: run at once) and the rule; the action itself waited for an analyst. */
                            shadow: {
                                level: string;
                                /** @enum {string} */
                                outcome: "approve" | "wait";
                                rule: string;
                            } | null;
                        }[];
                        nextCursor: string | null;
                        total: number;
                    };
                };
            };
            /** @description A bad filter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    requestAction: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                    targetKey: string;
                    deviceKey?: string | null;
                    parameters?: {
                        [key: string]: unknown;
                    };
                    comment?: string;
                    /** @description Request it even though a critical-asset guardrail forbids it (killing a process the OS needs, quarantining an OS binary…), for this reason; recorded in the audit log as `action.override`. */
                    override?: {
                        reason: string;
                    };
                };
            };
        };
        responses: {
            /** @description The action. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                        title: string;
                        targetKey: string;
                        /** @description The target as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                        targetName: string;
                        deviceKey: string | null;
                        group: {
                            kind: string;
                            name: string;
                        } | null;
                        investigationId: string | null;
                        evidenceKey: string | null;
                        verdict: string | null;
                        /** @enum {string} */
                        source: "investigation" | "analyst" | "undo";
                        /** @enum {string} */
                        status: "pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone";
                        parameters: {
                            [key: string]: unknown;
                        };
                        reasons: string[];
                        requestedBy: string;
                        /** @description `token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation. */
                        decidedBy: string | null;
                        decidedAt: string | null;
                        /** @description The policy rule that decided, in words. */
                        decisionRule: string | null;
                        comment: string | null;
                        undoOf: string | null;
                        undoneBy: string | null;
                        idempotencyKey: string;
                        connector: string | null;
                        attempts: number;
                        nextAttemptAt: string | null;
                        awaitingCallback: boolean;
                        unreachableSince: string | null;
                        resultMessage: string | null;
                        resultDetails: {
                            [key: string]: unknown;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        expiresAt: string | null;
                        startedAt: string | null;
                        endedAt: string | null;
                        /** @description A group in shadow: what its shadow level would have done (`approve`: run at once) and the rule; the action itself waited for an analyst. */
                        shadow: {
                            level: string;
                            /** @enum {string} */
                            outcome: "approve" | "wait";
                            rule: string;
                        } | null;
                    };
                };
            };
            /** @description A bad type or target. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the responder role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The same action is already in flight. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                        /** @description An action, as `--json` prints it (docs/api.md), and what the action center shows besides. */
                        action: {
                            id: string;
                            /** @enum {string} */
                            type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                            title: string;
                            targetKey: string;
                            /** @description The target as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                            targetName: string;
                            deviceKey: string | null;
                            group: {
                                kind: string;
                                name: string;
                            } | null;
                            investigationId: string | null;
                            evidenceKey: string | null;
                            verdict: string | null;
                            /** @enum {string} */
                            source: "investigation" | "analyst" | "undo";
                            /** @enum {string} */
                            status: "pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone";
                            parameters: {
                                [key: string]: unknown;
                            };
                            reasons: string[];
                            requestedBy: string;
                            /** @description `token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation. */
                            decidedBy: string | null;
                            decidedAt: string | null;
                            /** @description The policy rule that decided, in words. */
                            decisionRule: string | null;
                            comment: string | null;
                            undoOf: string | null;
                            undoneBy: string | null;
                            idempotencyKey: string;
                            connector: string | null;
                            attempts: number;
                            nextAttemptAt: string | null;
                            awaitingCallback: boolean;
                            unreachableSince: string | null;
                            resultMessage: string | null;
                            resultDetails: {
                                [key: string]: unknown;
                            } | null;
                            createdAt: string;
                            updatedAt: string;
                            expiresAt: string | null;
                            startedAt: string | null;
                            endedAt: string | null;
                            /** @description A group in shadow: what its shadow level would have done (`approve`: run at once) and the rule; the action itself waited for an analyst. */
                            shadow: {
                                level: string;
                                /** @enum {string} */
                                outcome: "approve" | "wait";
                                rule: string;
                            } | null;
                        };
                    };
                };
            };
            /** @description A critical-asset guardrail forbids it: `details.rule` says why, `details.instead` what to do; nothing was stored. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    exportActions: {
        parameters: {
            query?: {
                status?: ("pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone")[];
                type?: ("isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp")[];
                source?: ("investigation" | "analyst" | "undo")[];
                investigation?: string;
                group?: string;
                target?: string;
                /** @description Actions on this device (`device:` key): its own and those on what runs on it. */
                device?: string;
                since?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/csv, one row per action. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    getAction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The action. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                        title: string;
                        targetKey: string;
                        /** @description The target as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                        targetName: string;
                        deviceKey: string | null;
                        group: {
                            kind: string;
                            name: string;
                        } | null;
                        investigationId: string | null;
                        evidenceKey: string | null;
                        verdict: string | null;
                        /** @enum {string} */
                        source: "investigation" | "analyst" | "undo";
                        /** @enum {string} */
                        status: "pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone";
                        parameters: {
                            [key: string]: unknown;
                        };
                        reasons: string[];
                        requestedBy: string;
                        /** @description `token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation. */
                        decidedBy: string | null;
                        decidedAt: string | null;
                        /** @description The policy rule that decided, in words. */
                        decisionRule: string | null;
                        comment: string | null;
                        undoOf: string | null;
                        undoneBy: string | null;
                        idempotencyKey: string;
                        connector: string | null;
                        attempts: number;
                        nextAttemptAt: string | null;
                        awaitingCallback: boolean;
                        unreachableSince: string | null;
                        resultMessage: string | null;
                        resultDetails: {
                            [key: string]: unknown;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        expiresAt: string | null;
                        startedAt: string | null;
                        endedAt: string | null;
                        /** @description A group in shadow: what its shadow level would have done (`approve`: run at once) and the rule; the action itself waited for an analyst. */
                        shadow: {
                            level: string;
                            /** @enum {string} */
                            outcome: "approve" | "wait";
                            rule: string;
                        } | null;
                        history: {
                            at: string;
                            from: string | null;
                            to: string;
                            by: string;
                            message: string | null;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such action. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    approveActions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ids: string[];
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description The actions after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                            title: string;
                            targetKey: string;
                            /** @description The target as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                            targetName: string;
                            deviceKey: string | null;
                            group: {
                                kind: string;
                                name: string;
                            } | null;
                            investigationId: string | null;
                            evidenceKey: string | null;
                            verdict: string | null;
                            /** @enum {string} */
                            source: "investigation" | "analyst" | "undo";
                            /** @enum {string} */
                            status: "pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone";
                            parameters: {
                                [key: string]: unknown;
                            };
                            reasons: string[];
                            requestedBy: string;
                            /** @description `token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation. */
                            decidedBy: string | null;
                            decidedAt: string | null;
                            /** @description The policy rule that decided, in words. */
                            decisionRule: string | null;
                            comment: string | null;
                            undoOf: string | null;
                            undoneBy: string | null;
                            idempotencyKey: string;
                            connector: string | null;
                            attempts: number;
                            nextAttemptAt: string | null;
                            awaitingCallback: boolean;
                            unreachableSince: string | null;
                            resultMessage: string | null;
                            resultDetails: {
                                [key: string]: unknown;
                            } | null;
                            createdAt: string;
                            updatedAt: string;
                            expiresAt: string | null;
                            startedAt: string | null;
                            endedAt: string | null;
                            /** @description A group in shadow: what its shadow level would have done (`approve`: run at once) and the rule; the action itself waited for an analyst. */
                            shadow: {
                                level: string;
                                /** @enum {string} */
                                outcome: "approve" | "wait";
                                rule: string;
                            } | null;
                        }[];
                    };
                };
            };
            /** @description A bad id list, or actions of several types. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the responder role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An id names no action (nothing was changed). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An action is in the wrong status (nothing was changed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    rejectActions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ids: string[];
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description The actions after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                            title: string;
                            targetKey: string;
                            /** @description The target as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                            targetName: string;
                            deviceKey: string | null;
                            group: {
                                kind: string;
                                name: string;
                            } | null;
                            investigationId: string | null;
                            evidenceKey: string | null;
                            verdict: string | null;
                            /** @enum {string} */
                            source: "investigation" | "analyst" | "undo";
                            /** @enum {string} */
                            status: "pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone";
                            parameters: {
                                [key: string]: unknown;
                            };
                            reasons: string[];
                            requestedBy: string;
                            /** @description `token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation. */
                            decidedBy: string | null;
                            decidedAt: string | null;
                            /** @description The policy rule that decided, in words. */
                            decisionRule: string | null;
                            comment: string | null;
                            undoOf: string | null;
                            undoneBy: string | null;
                            idempotencyKey: string;
                            connector: string | null;
                            attempts: number;
                            nextAttemptAt: string | null;
                            awaitingCallback: boolean;
                            unreachableSince: string | null;
                            resultMessage: string | null;
                            resultDetails: {
                                [key: string]: unknown;
                            } | null;
                            createdAt: string;
                            updatedAt: string;
                            expiresAt: string | null;
                            startedAt: string | null;
                            endedAt: string | null;
                            /** @description A group in shadow: what its shadow level would have done (`approve`: run at once) and the rule; the action itself waited for an analyst. */
                            shadow: {
                                level: string;
                                /** @enum {string} */
                                outcome: "approve" | "wait";
                                rule: string;
                            } | null;
                        }[];
                    };
                };
            };
            /** @description A bad id list, or actions of several types. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the responder role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An id names no action (nothing was changed). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An action is in the wrong status (nothing was changed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    undoActions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ids: string[];
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description The actions after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                            title: string;
                            targetKey: string;
                            /** @description The target as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                            targetName: string;
                            deviceKey: string | null;
                            group: {
                                kind: string;
                                name: string;
                            } | null;
                            investigationId: string | null;
                            evidenceKey: string | null;
                            verdict: string | null;
                            /** @enum {string} */
                            source: "investigation" | "analyst" | "undo";
                            /** @enum {string} */
                            status: "pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone";
                            parameters: {
                                [key: string]: unknown;
                            };
                            reasons: string[];
                            requestedBy: string;
                            /** @description `token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation. */
                            decidedBy: string | null;
                            decidedAt: string | null;
                            /** @description The policy rule that decided, in words. */
                            decisionRule: string | null;
                            comment: string | null;
                            undoOf: string | null;
                            undoneBy: string | null;
                            idempotencyKey: string;
                            connector: string | null;
                            attempts: number;
                            nextAttemptAt: string | null;
                            awaitingCallback: boolean;
                            unreachableSince: string | null;
                            resultMessage: string | null;
                            resultDetails: {
                                [key: string]: unknown;
                            } | null;
                            createdAt: string;
                            updatedAt: string;
                            expiresAt: string | null;
                            startedAt: string | null;
                            endedAt: string | null;
                            /** @description A group in shadow: what its shadow level would have done (`approve`: run at once) and the rule; the action itself waited for an analyst. */
                            shadow: {
                                level: string;
                                /** @enum {string} */
                                outcome: "approve" | "wait";
                                rule: string;
                            } | null;
                        }[];
                    };
                };
            };
            /** @description A bad id list, or actions of several types. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the responder role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An id names no action (nothing was changed). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An action is in the wrong status (nothing was changed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    cancelActions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ids: string[];
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description The actions after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                            title: string;
                            targetKey: string;
                            /** @description The target as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                            targetName: string;
                            deviceKey: string | null;
                            group: {
                                kind: string;
                                name: string;
                            } | null;
                            investigationId: string | null;
                            evidenceKey: string | null;
                            verdict: string | null;
                            /** @enum {string} */
                            source: "investigation" | "analyst" | "undo";
                            /** @enum {string} */
                            status: "pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone";
                            parameters: {
                                [key: string]: unknown;
                            };
                            reasons: string[];
                            requestedBy: string;
                            /** @description `token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation. */
                            decidedBy: string | null;
                            decidedAt: string | null;
                            /** @description The policy rule that decided, in words. */
                            decisionRule: string | null;
                            comment: string | null;
                            undoOf: string | null;
                            undoneBy: string | null;
                            idempotencyKey: string;
                            connector: string | null;
                            attempts: number;
                            nextAttemptAt: string | null;
                            awaitingCallback: boolean;
                            unreachableSince: string | null;
                            resultMessage: string | null;
                            resultDetails: {
                                [key: string]: unknown;
                            } | null;
                            createdAt: string;
                            updatedAt: string;
                            expiresAt: string | null;
                            startedAt: string | null;
                            endedAt: string | null;
                            /** @description A group in shadow: what its shadow level would have done (`approve`: run at once) and the rule; the action itself waited for an analyst. */
                            shadow: {
                                level: string;
                                /** @enum {string} */
                                outcome: "approve" | "wait";
                                rule: string;
                            } | null;
                        }[];
                    };
                };
            };
            /** @description A bad id list, or actions of several types. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the responder role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An id names no action (nothing was changed). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An action is in the wrong status (nothing was changed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    postActionResult: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    message?: string;
                    details?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description The action, finished. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        type: "isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp";
                        title: string;
                        targetKey: string;
                        /** @description The target as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`. */
                        targetName: string;
                        deviceKey: string | null;
                        group: {
                            kind: string;
                            name: string;
                        } | null;
                        investigationId: string | null;
                        evidenceKey: string | null;
                        verdict: string | null;
                        /** @enum {string} */
                        source: "investigation" | "analyst" | "undo";
                        /** @enum {string} */
                        status: "pendingApproval" | "approved" | "queued" | "running" | "pendingResource" | "succeeded" | "failed" | "timedOut" | "cancelled" | "rejected" | "expired" | "undone";
                        parameters: {
                            [key: string]: unknown;
                        };
                        reasons: string[];
                        requestedBy: string;
                        /** @description `token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation. */
                        decidedBy: string | null;
                        decidedAt: string | null;
                        /** @description The policy rule that decided, in words. */
                        decisionRule: string | null;
                        comment: string | null;
                        undoOf: string | null;
                        undoneBy: string | null;
                        idempotencyKey: string;
                        connector: string | null;
                        attempts: number;
                        nextAttemptAt: string | null;
                        awaitingCallback: boolean;
                        unreachableSince: string | null;
                        resultMessage: string | null;
                        resultDetails: {
                            [key: string]: unknown;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        expiresAt: string | null;
                        startedAt: string | null;
                        endedAt: string | null;
                        /** @description A group in shadow: what its shadow level would have done (`approve`: run at once) and the rule; the action itself waited for an analyst. */
                        shadow: {
                            level: string;
                            /** @enum {string} */
                            outcome: "approve" | "wait";
                            rule: string;
                        } | null;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the responder role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such action. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The action is not running (its result is already in). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    getPrecision: {
        parameters: {
            query?: {
                /** @description Actions created from (inclusive); default 30 days before `until`. */
                since?: string;
                /** @description Actions created before; default now. */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Actions proposed by investigations in the period by outcome, the most decided first; and suggestions to automate more where analysts approved every one a level made wait (autoir never changes a level by itself). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        since: string;
                        until: string;
                        actionTypes: {
                            group: {
                                kind: string;
                                name: string;
                            };
                            type: string;
                            /** @description Run by policy, not undone. */
                            automatic: number;
                            /** @description Approved by an analyst, not undone. */
                            approved: number;
                            /** @description Rejected or cancelled. */
                            rejected: number;
                            /** @description Run, then undone (or an undo asked for). */
                            undone: number;
                            expired: number;
                            pending: number;
                            /** @description Kept (automatic or approved) of those decided; null before any is. */
                            precision: number | null;
                        }[];
                        playbooks: {
                            playbook: string;
                            /** @description Run by policy, not undone. */
                            automatic: number;
                            /** @description Approved by an analyst, not undone. */
                            approved: number;
                            /** @description Rejected or cancelled. */
                            rejected: number;
                            /** @description Run, then undone (or an undo asked for). */
                            undone: number;
                            expired: number;
                            pending: number;
                            /** @description Kept (automatic or approved) of those decided; null before any is. */
                            precision: number | null;
                        }[];
                        rules: {
                            rule: string;
                            /** @description The rule's alerts' title. */
                            title: string;
                            /** @description Run by policy, not undone. */
                            automatic: number;
                            /** @description Approved by an analyst, not undone. */
                            approved: number;
                            /** @description Rejected or cancelled. */
                            rejected: number;
                            /** @description Run, then undone (or an undo asked for). */
                            undone: number;
                            expired: number;
                            pending: number;
                            /** @description Kept (automatic or approved) of those decided; null before any is. */
                            precision: number | null;
                        }[];
                        analyzers: {
                            analyzer: string;
                            /** @description Run by policy, not undone. */
                            automatic: number;
                            /** @description Approved by an analyst, not undone. */
                            approved: number;
                            /** @description Rejected or cancelled. */
                            rejected: number;
                            /** @description Run, then undone (or an undo asked for). */
                            undone: number;
                            expired: number;
                            pending: number;
                            /** @description Kept (automatic or approved) of those decided; null before any is. */
                            precision: number | null;
                        }[];
                        suggestions: {
                            group: {
                                kind: string;
                                name: string;
                            };
                            type: string;
                            level: string;
                            suggested: string;
                            text: string;
                        }[];
                    };
                };
            };
            /** @description A bad date. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    getShadowAgreement: {
        parameters: {
            query?: {
                /** @description Actions created from (inclusive); default 30 days before `until`. */
                since?: string;
                /** @description Actions created before; default now. */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description For each group in shadow and action type: the would-have-run and would-have-waited actions by what the analyst did, and the share of decided would-have-run actions approved and kept. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        since: string;
                        until: string;
                        groups: {
                            group: {
                                kind: string;
                                name: string;
                            };
                            type: string;
                            level: string;
                            wouldRun: {
                                pending: number;
                                approved: number;
                                rejected: number;
                                expired: number;
                                undone: number;
                            };
                            wouldWait: {
                                pending: number;
                                approved: number;
                                rejected: number;
                                expired: number;
                                undone: number;
                            };
                            agreement: number | null;
                        }[];
                    };
                };
            };
            /** @description A bad date. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    getPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The policy (secrets shown as ***). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    putPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The stored policy (secrets shown as ***). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A bad field (named), or a webhook URL autoir may not call. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listDeviceGroups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The groups. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "device" | "mailbox" | "user";
                        name: string;
                        rank: number;
                        rules: {
                            [key: string]: string;
                        }[];
                        /** @enum {string} */
                        level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                        automateSuspicious: boolean;
                        shadow?: {
                            /** @enum {string} */
                            level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                            actionTypes?: string[];
                        } | null;
                        isDefault: boolean;
                        description: string | null;
                        createdAt: string;
                        updatedAt: string;
                    }[];
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    putDeviceGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    rules?: {
                        name?: string;
                        domain?: string;
                        tag?: string;
                        os?: string;
                    }[];
                    rank?: number;
                    /** @enum {string} */
                    level?: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                    automateSuspicious?: boolean;
                    description?: string | null;
                    /** @description Shadow automation: decide as if `level` were on, run nothing by itself, record what it would have done; null ends it. */
                    shadow?: {
                        /** @enum {string} */
                        level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                        actionTypes?: ("isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp")[];
                    } | null;
                };
            };
        };
        responses: {
            /** @description The group. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "device" | "mailbox" | "user";
                        name: string;
                        rank: number;
                        rules: {
                            [key: string]: string;
                        }[];
                        /** @enum {string} */
                        level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                        automateSuspicious: boolean;
                        shadow?: {
                            /** @enum {string} */
                            level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                            actionTypes?: string[];
                        } | null;
                        isDefault: boolean;
                        description: string | null;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description A bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    deleteDeviceGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such group. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The default group. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listMailboxGroups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The groups. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "device" | "mailbox" | "user";
                        name: string;
                        rank: number;
                        rules: {
                            [key: string]: string;
                        }[];
                        /** @enum {string} */
                        level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                        automateSuspicious: boolean;
                        shadow?: {
                            /** @enum {string} */
                            level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                            actionTypes?: string[];
                        } | null;
                        isDefault: boolean;
                        description: string | null;
                        createdAt: string;
                        updatedAt: string;
                    }[];
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    putMailboxGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    rules?: {
                        name?: string;
                        domain?: string;
                        tag?: string;
                        os?: string;
                    }[];
                    rank?: number;
                    /** @enum {string} */
                    level?: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                    automateSuspicious?: boolean;
                    description?: string | null;
                    /** @description Shadow automation: decide as if `level` were on, run nothing by itself, record what it would have done; null ends it. */
                    shadow?: {
                        /** @enum {string} */
                        level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                        actionTypes?: ("isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp")[];
                    } | null;
                };
            };
        };
        responses: {
            /** @description The group. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "device" | "mailbox" | "user";
                        name: string;
                        rank: number;
                        rules: {
                            [key: string]: string;
                        }[];
                        /** @enum {string} */
                        level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                        automateSuspicious: boolean;
                        shadow?: {
                            /** @enum {string} */
                            level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                            actionTypes?: string[];
                        } | null;
                        isDefault: boolean;
                        description: string | null;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description A bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    deleteMailboxGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such group. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The default group. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listUserGroups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The groups. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "device" | "mailbox" | "user";
                        name: string;
                        rank: number;
                        rules: {
                            [key: string]: string;
                        }[];
                        /** @enum {string} */
                        level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                        automateSuspicious: boolean;
                        shadow?: {
                            /** @enum {string} */
                            level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                            actionTypes?: string[];
                        } | null;
                        isDefault: boolean;
                        description: string | null;
                        createdAt: string;
                        updatedAt: string;
                    }[];
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    putUserGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    rules?: {
                        name?: string;
                        domain?: string;
                        tag?: string;
                        os?: string;
                    }[];
                    rank?: number;
                    /** @enum {string} */
                    level?: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                    automateSuspicious?: boolean;
                    description?: string | null;
                    /** @description Shadow automation: decide as if `level` were on, run nothing by itself, record what it would have done; null ends it. */
                    shadow?: {
                        /** @enum {string} */
                        level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                        actionTypes?: ("isolateDevice" | "releaseDevice" | "quarantineFile" | "restoreFile" | "killProcess" | "removePersistence" | "restorePersistence" | "collectInvestigationPackage" | "runAntivirusScan" | "restrictAppExecution" | "softDeleteEmail" | "restoreEmail" | "blockSender" | "unblockSender" | "blockUrl" | "unblockUrl" | "removeInboxRule" | "disableUser" | "enableUser" | "resetPassword" | "revokeSessions" | "removePrivilegedGroups" | "restorePrivilegedGroups" | "blockIp" | "unblockIp")[];
                    } | null;
                };
            };
        };
        responses: {
            /** @description The group. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "device" | "mailbox" | "user";
                        name: string;
                        rank: number;
                        rules: {
                            [key: string]: string;
                        }[];
                        /** @enum {string} */
                        level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                        automateSuspicious: boolean;
                        shadow?: {
                            /** @enum {string} */
                            level: "full" | "semiAll" | "semiCore" | "semiNonTemp" | "none";
                            actionTypes?: string[];
                        } | null;
                        isDefault: boolean;
                        description: string | null;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description A bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    deleteUserGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such group. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The default group. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listTags: {
        parameters: {
            query?: {
                entity?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tags, by entity key then tag. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entityKey: string;
                        tag: string;
                        createdAt: string;
                        createdBy: string;
                    }[];
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    addTag: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    entityKey: string;
                    tag: string;
                };
            };
        };
        responses: {
            /** @description Tagged. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    removeTag: {
        parameters: {
            query: {
                entity: string;
                tag: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such tag. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listConnectors: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stored connectors, secrets shown as ***. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        kind: string;
                        /** @description Action types it takes; `*` for every type. */
                        actions: string[];
                        /** @description Groups whose actions it takes; absent for all. */
                        groups?: string[];
                        timeout: string;
                        enabled: boolean;
                        settings: {
                            [key: string]: unknown;
                        };
                    }[];
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    putConnector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The connector (secrets shown as ***). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A bad setting (named), or a URL autoir may not call. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    deleteConnector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such connector. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    testConnector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the check found (`ok: false` with the reason when something is wrong). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        kind: string;
                        ok: boolean;
                        reachable: boolean;
                        /** @description null: not reached, or the kind cannot tell. */
                        authenticated: boolean | null;
                        /** @description null: not reached, or the kind cannot tell. */
                        permitted: boolean | null;
                        message: string;
                        details?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such stored connector. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listAudit: {
        parameters: {
            query?: {
                actor?: string;
                operation?: string;
                /** @description Exact, or a prefix ending in ":" (`action:`). */
                target?: string;
                since?: string;
                until?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tokens (never their secret). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @enum {string} */
                        role: "ingest" | "viewer" | "analyst" | "responder" | "admin";
                        createdAt: string;
                        /** @description Last use, to the minute. */
                        lastUsedAt: string | null;
                        revokedAt: string | null;
                        /** @description When it stops working; null: until revoked. */
                        expiresAt: string | null;
                    }[];
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    role: "ingest" | "viewer" | "analyst" | "responder" | "admin";
                    /** @description How long it works (`90d`, `12h`); left out, until revoked. */
                    expiresIn?: string;
                };
            };
        };
        responses: {
            /** @description The token and its value. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The name is taken. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such token. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The agents. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            deviceKey: string;
                            hostname: string;
                            fqdn: string | null;
                            os: string;
                            version: string;
                            machineId: string | null;
                            addresses: string[];
                            group: string | null;
                            enrolledAt: string;
                            lastSeenAt: string;
                            revokedAt: string | null;
                            /** @description Heard from within 90 s, and not revoked. */
                            online: boolean;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    createEnrollmentToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The device group the agent joins. */
                    group?: string;
                    /** @description How long it may be used (default `24h`, at most `7d`). */
                    expiresIn?: string;
                };
            };
        };
        responses: {
            /** @description The token (shown only now) and its record. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: string;
                        id: string;
                        group: string | null;
                        expiresAt: string;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    revokeAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The agent, revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        deviceKey: string;
                        hostname: string;
                        fqdn: string | null;
                        os: string;
                        version: string;
                        machineId: string | null;
                        addresses: string[];
                        group: string | null;
                        enrolledAt: string;
                        lastSeenAt: string;
                        revokedAt: string | null;
                        /** @description Heard from within 90 s, and not revoked. */
                        online: boolean;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such agent. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    enrollAgent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    /** @description What the agent reports of its host; it becomes the device's `device:` entity (FQDN, else host name). */
                    identity: {
                        hostname: string;
                        fqdn?: string;
                        os: string;
                        version: string;
                        machineId?: string;
                        addresses: string[];
                    };
                };
            };
        };
        responses: {
            /** @description The agent and its credential. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        deviceKey: string;
                        credential: string;
                        heartbeatIntervalMs: number;
                    };
                };
            };
            /** @description A bad identity. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The token is unknown, used or expired (nothing was stored). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    agentHeartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description What the agent reports of its host; it becomes the device's `device:` entity (FQDN, else host name). */
                    identity?: {
                        hostname: string;
                        fqdn?: string;
                        os: string;
                        version: string;
                        machineId?: string;
                        addresses: string[];
                    };
                };
            };
        };
        responses: {
            /** @description Seen. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        deviceKey: string;
                        heartbeatIntervalMs: number;
                        serverTime: string;
                    };
                };
            };
            /** @description The credential is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    agentTasks: {
        parameters: {
            query?: {
                wait?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The open tasks, oldest first (none when the wait ran out). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            actionId: string;
                            deliveries: number;
                            /** @description The action (docs/connectors.md wire format). */
                            request: {
                                [key: string]: unknown;
                            };
                        }[];
                    };
                };
            };
            /** @description The credential is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    agentTaskResult: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    message?: string;
                    details?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description Recorded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actionId: string;
                        status: string;
                    };
                };
            };
            /** @description The credential is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such open task for this agent. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The result was recorded already. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    feedIpList: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/plain: the entries in force now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid feed token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    feedDomainList: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/plain: the entries in force now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid feed token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    feedUrlList: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/plain: the entries in force now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid feed token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    feedRpz: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/plain: the entries in force now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid feed token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listFeedEntries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entries in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @enum {string} */
                            kind: "ip" | "domain" | "url";
                            value: string;
                            actionId: string;
                            since: string;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listFeedTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tokens. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            createdBy: string;
                            createdAt: string;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    createFeedToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Who fetches with it: `pa-edge`, `unbound`. */
                    name: string;
                };
            };
        };
        responses: {
            /** @description The token (shown only now) and its record. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        createdBy: string;
                        createdAt: string;
                        lastUsedAt: string | null;
                        revokedAt: string | null;
                        token: string;
                    };
                };
            };
            /** @description A bad name. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    revokeFeedToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token, revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        createdBy: string;
                        createdAt: string;
                        lastUsedAt: string | null;
                        revokedAt: string | null;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such token. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description `user:<name>` or `token:<name>`: the actor of what this session writes. */
                        principal: string;
                        /** @enum {string} */
                        kind: "user" | "token";
                        name: string;
                        /** @enum {string} */
                        role: "viewer" | "analyst" | "responder" | "admin";
                        /** @description Send it as `x-csrf-token` with every write; `null` for a bearer-token caller. */
                        csrfToken: string | null;
                        /** @description When the session ends at the latest (it ends sooner after the idle timeout). */
                        expiresAt: string | null;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    username?: string;
                    password?: string;
                    token?: string;
                };
            };
        };
        responses: {
            /** @description Signed in; the cookie is set. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description `user:<name>` or `token:<name>`: the actor of what this session writes. */
                        principal: string;
                        /** @enum {string} */
                        kind: "user" | "token";
                        name: string;
                        /** @enum {string} */
                        role: "viewer" | "analyst" | "responder" | "admin";
                        /** @description Send it as `x-csrf-token` with every write; `null` for a bearer-token caller. */
                        csrfToken: string | null;
                        /** @description When the session ends at the latest (it ends sooner after the idle timeout). */
                        expiresAt: string | null;
                    };
                };
            };
            /** @description Neither username and password nor token, or not JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Wrong user name or password (one answer for both), or an unknown token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Too many failed sign-ins for this user name. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description False when no session was used. */
                        signedOut: boolean;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    signInProviders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ways in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        oidc: boolean;
                        /** @description Local accounts exist: false on a fresh or demo store, where only an API token signs in. */
                        accounts: boolean;
                    };
                };
            };
        };
    };
    startSingleSignOn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the provider. */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Single sign-on is not configured. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    finishSingleSignOn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed in: to the web UI, with the session cookie. */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The provider refused, or the user has no mapped role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The accounts, by name. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        username: string;
                        /** @enum {string} */
                        role: "viewer" | "analyst" | "responder" | "admin";
                        createdAt: string;
                        updatedAt: string;
                        disabledAt: string | null;
                        lastLoginAt: string | null;
                    }[];
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    username: string;
                    /** @description 12 to 1024 characters; stored as an argon2id hash. */
                    password: string;
                    /** @enum {string} */
                    role: "viewer" | "analyst" | "responder" | "admin";
                };
            };
        };
        responses: {
            /** @description The account. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        username: string;
                        /** @enum {string} */
                        role: "viewer" | "analyst" | "responder" | "admin";
                        createdAt: string;
                        updatedAt: string;
                        disabledAt: string | null;
                        lastLoginAt: string | null;
                    };
                };
            };
            /** @description A bad name, a short password, an unknown role. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description The name is taken. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account as it was. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        username: string;
                        /** @enum {string} */
                        role: "viewer" | "analyst" | "responder" | "admin";
                        createdAt: string;
                        updatedAt: string;
                        disabledAt: string | null;
                        lastLoginAt: string | null;
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such account. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An admin deleting their own account. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role?: "viewer" | "analyst" | "responder" | "admin";
                    /** @description 12 to 1024 characters; stored as an argon2id hash. */
                    password?: string;
                    disabled?: boolean;
                };
            };
        };
        responses: {
            /** @description The account, changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        username: string;
                        /** @enum {string} */
                        role: "viewer" | "analyst" | "responder" | "admin";
                        createdAt: string;
                        updatedAt: string;
                        disabledAt: string | null;
                        lastLoginAt: string | null;
                    };
                };
            };
            /** @description Nothing to change, a short password, an unknown role. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the admin role; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No such account. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description An admin demoting or disabling their own account. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    getDashboard: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The figures. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incidents: {
                            total: number;
                            bySeverity: {
                                [key: string]: number;
                            };
                        };
                        actions: {
                            byStatus: {
                                [key: string]: number;
                            };
                            pending: number;
                            oldestPendingAt: string | null;
                            meanPendingWaitMs: number | null;
                        };
                        investigations: {
                            byStatus: {
                                [key: string]: number;
                            };
                            meanTimeToVerdictMs: number | null;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    getDashboardCharts: {
        parameters: {
            query?: {
                /** @description From (inclusive); without it, from the first alert. */
                since?: string;
                /** @description Until (exclusive); without it, after the last alert. */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The charts’ figures; the bucket is an hour up to two days, a day up to 90, a week beyond. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        since: string | null;
                        until: string | null;
                        bucketMs: number;
                        alerts: {
                            at: string;
                            bySeverity: {
                                [key: string]: number;
                            };
                        }[];
                        investigations: {
                            [key: string]: number;
                        };
                        timeToVerdictMs: {
                            count: number;
                            median: number | null;
                            p90: number | null;
                        };
                        timeToRemediationMs: {
                            count: number;
                            median: number | null;
                            p90: number | null;
                        };
                        actionsByDecision: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description A bad time. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
    stream: {
        parameters: {
            query?: {
                /** @description Send the current state as one event and close (for scripts and checks). */
                once?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid bearer token or session. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
            /** @description Needs the viewer role. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description A stable code, e.g. AUTOIR_E_BAD_INPUT. */
                            code: string;
                            message: string;
                            /** @description The offending field or parameter, when there is one. */
                            field?: string;
                        };
                    };
                };
            };
        };
    };
}
