/** Every analyzer, by name: playbooks name them (registration is this explicit list, not a folder scan). */
import type { Analyzer } from './analyzer.js';
import { alertsAnalyzer } from './alerts.js';
import { accountActivityAnalyzer } from './directory.js';
import { filePathAnalyzer, filePrevalenceAnalyzer, fileSignatureAnalyzer } from './file.js';
import { indicatorsAnalyzer } from './indicators.js';
import { signInAnalyzer, signInSourceAnalyzer } from './identity.js';
import { mailClusterAnalyzer, mailMessageAnalyzer } from './mail.js';
import { mailboxRulesAnalyzer } from './mailbox.js';
import { urlAnalyzer } from './url.js';
import { autostartAnalyzer, hostPackageAnalyzer } from './host.js';
import { destinationAnalyzer, newlySeenAnalyzer } from './network.js';
import { processBehaviourAnalyzer, processLineageAnalyzer } from './process.js';

export const analyzers: ReadonlyMap<string, Analyzer> = new Map(
  [
    indicatorsAnalyzer,
    alertsAnalyzer,
    processLineageAnalyzer,
    processBehaviourAnalyzer,
    filePathAnalyzer,
    fileSignatureAnalyzer,
    filePrevalenceAnalyzer,
    destinationAnalyzer,
    newlySeenAnalyzer,
    mailMessageAnalyzer,
    mailClusterAnalyzer,
    urlAnalyzer,
    signInAnalyzer,
    signInSourceAnalyzer,
    mailboxRulesAnalyzer,
    accountActivityAnalyzer,
    hostPackageAnalyzer,
    autostartAnalyzer,
  ].map((analyzer) => [analyzer.name, analyzer]),
);

export type { Analyzer, Analysis, AnalysisContext, RelatedEntity } from './analyzer.js';
