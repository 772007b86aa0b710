// Generated from openapi.json by `PYTHONPATH=src .venv/bin/python frontend/scripts/generate_api.py`: do not edit.

export type AlertState = {
  key: string;
  last_sent_at: string | null;
  suppressed: number;
  suppressed_since: string | null;
};

export type AnalysisLaunch = {
  config_id: number;
  sample_ids?: number[] | null;
};

export type AnalysisVersion = {
  version: number;
  sample_set_id: number;
  saved_by: number | null;
  saved_at: string;
};

export type ArchivedConfig = {
  archived_id: number;
  name: string;
  program: string;
  germline: string;
  local_id: number | null;
  local_name: string | null;
};

export type ArchivedSet = {
  id: number;
  kind: string;
  label: string;
  samples: number;
};

export type AuditEntry = {
  id: number;
  at: string;
  user_id: number | null;
  user_email: string;
  action: string;
  table_name: string;
  record_id: number | null;
  details: Record<string, unknown>;
  client_address: string;
};

export type AuditPage = {
  items: AuditEntry[];
  total: number;
  limit: number;
  offset: number;
};

export type AuthStatus = {
  needs_setup: boolean;
  user: Me | null;
  healthcare_compliance: boolean;
  two_factor_required: boolean;
};

export type BackupHealth = {
  state: string;
  alert: boolean;
  message: string;
  destination: string | null;
  schedule: string;
  last_success_at: string | null;
  next_run_at: string | null;
  last_run: BackupRun | null;
};

export type BackupOverview = {
  health: BackupHealth;
  contents: Contents;
  runs: BackupRun[];
  snapshots: SnapshotInfo[];
  snapshots_problem: string | null;
  restore_command: string;
};

export type BackupRun = {
  id: number;
  trigger: string;
  destination: string;
  snapshot: string | null;
  status: string;
  started_at: string;
  finished_at: string | null;
  user_id: number | null;
  files: number | null;
  bytes: number | null;
  new_bytes: number | null;
  seconds: number | null;
  deleted: string[];
  warnings: string[];
  error: string | null;
  progress?: services_backups_runs_Progress | null;
};

export type CertificateInfo = {
  fingerprint_sha256: string;
  subject: string;
  names: string[];
  not_before: string;
  not_after: string;
  self_signed: boolean;
  path: string;
};

export type ClaimedJob = {
  job_id: number;
  attempt: number;
  kind: string;
  params: Record<string, unknown>;
  fields: Record<string, string>;
  output_field: string;
  inputs: InputFile[];
  lease_seconds: number;
  time_limit_seconds: number;
};

export type ClonePage = {
  total: number;
  offset: number;
  limit: number;
  samples: string[];
  segmented: number[];
  clones?: CloneRow[];
};

export type CloneRow = {
  id: string;
  name: string;
  locus: string;
  reads: number[];
  top: number;
  sequence: string;
  junction_aa: string;
  cdr3_aa: string;
  productive: boolean | null;
  v_call: string;
  d_call: string;
  j_call: string;
  warnings: string[];
};

export type Completion = {
  attempt: number;
  result: Record<string, unknown>;
};

export type Config = {
  id: number;
  name: string;
  program: string;
  germline: string;
  options: Record<string, unknown>;
  description: string;
  classification: string;
  created_at: string;
  everyone: boolean;
  group_ids: number[];
};

export type ConfigChoice = {
  id: number;
  name: string;
};

export type ConfigCreate = {
  name: string;
  program?: string;
  germline?: string | null;
  options?: Record<string, unknown>;
  description?: string;
  classification?: string;
};

export type ConfigOffer = {
  everyone: boolean;
  group_ids?: number[];
};

export type ConfigUpdate = {
  name?: string | null;
  program?: string | null;
  germline?: string | null;
  options?: Record<string, unknown> | null;
  description?: string | null;
  classification?: string | null;
};

export type ContentLine = {
  what: string;
  why: string;
};

export type Contents = {
  included: ContentLine[];
  excluded: ContentLine[];
};

export type Credentials = {
  email: string;
  password: string;
};

export type DiagnosticsRequest = {
  seconds?: number;
};

export type EmailOverview = {
  settings: EmailSettings;
  counts: Record<string, number>;
  recent: SentMail[];
  errors: SentMail[];
  alerts: AlertState[];
  problems: string[];
};

export type EmailSettings = {
  configured: boolean;
  server: string;
  from_email: string;
  domain: string;
  starttls: boolean;
  ssl: boolean;
  user: string;
  password_set: boolean;
  admin_emails: string[];
  subject_prefix: string;
};

export type ErrorAnswer = {
  error: ErrorDetail;
  status: number;
};

export type ErrorDetail = {
  code: string;
  message: string;
  details: Record<string, unknown>;
};

export type ExportDone = {
  token: string;
  file_name: string;
  fingerprint: string;
  sets: number;
  samples: number;
  results: number;
  files: number;
  size: number;
};

export type ExportRequest = {
  group?: string | null;
  set_ids?: number[];
  with_sequences?: boolean;
};

export type Failure = {
  attempt: number;
  ending: string;
  error: Record<string, unknown>;
};

export type GeneSequences = {
  germline: string;
  genes: Record<string, string>;
};

export type GroupCreate = {
  name: string;
  description?: string;
  rights?: string[];
  parent_id?: number | null;
};

export type GroupDetail = {
  group: GroupSummary;
  members: Member[];
};

export type GroupRef = {
  id: number;
  name: string;
};

export type GroupSummary = {
  id: number;
  name: string;
  description: string;
  parent_id: number | null;
  parent_name: string | null;
  rights: string[];
  letters: string;
  member_count: number;
  set_count: number;
  personal_user_id: number | null;
  created_at: string;
};

export type GroupUpdate = {
  description?: string | null;
  rights?: string[] | null;
};

export type Health = {
  status: string;
  version: string;
  core: string;
  database: string;
  schema_version: number;
  workers: number;
  broker: string;
  queue: Record<string, number>;
  disk_free_percent: number;
  uptime_seconds: number;
  problems: string[];
};

export type Hello = {
  worker_id: number;
  name: string;
  server_version: string;
  redis_url: string;
  namespace: string;
  queue: string;
  actor: string;
  lease_seconds: number;
};

export type ImportDone = {
  group_id: number;
  group_name: string;
  set_ids: Record<string, number>;
  samples: number;
  results: number;
  analyses: number;
  files: number;
};

export type ImportPreview = {
  token: string;
  fingerprint: string;
  created_at: string;
  app_version: string;
  scope: string;
  with_sequences: boolean;
  sets: ArchivedSet[];
  samples: number;
  results: number;
  analyses: number;
  files: number;
  size: number;
  configs: ArchivedConfig[];
  users: number;
  users_matched: number;
};

export type ImportRequest = {
  group: string;
  configs?: Record<string, string>;
  fingerprint?: string | null;
};

export type InputFile = {
  index: number;
  name: string;
  size: number;
  sha256: string;
};

export type Job = {
  id: number;
  kind: string;
  status: string;
  progress: number;
  attempts: number;
  cancel_requested: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  seconds: number | null;
  error: string | null;
  result: Record<string, unknown> | null;
  sample_id: number | null;
  sample_name: string | null;
  config_id: number | null;
  config_name: string | null;
  sample_set_id: number | null;
  user_id: number | null;
  sample_set_name?: string | null;
};

export type JobLine = {
  id: number;
  kind: string;
  status: string;
  progress: number;
  user_id: number | null;
  sample_set_id: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

export type LaunchToken = {
  token: string;
};

export type LogFile = {
  name: string;
  kind: string;
  size: number;
  modified_at: string;
};

export type LogLines = {
  name: string;
  lines: string[];
  earlier: boolean;
};

export type LoginCode = {
  code: string;
};

export type MainClone = {
  id: string;
  label: string;
  locus: string;
  reads: number;
  share: number;
};

export type Me = {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  is_admin: boolean;
  groups: number[];
  rights: Record<string, string[]>;
  group_names?: Record<string, string>;
};

export type Member = {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  locked: boolean;
  last_login_at: string | null;
};

export type MetricSample = {
  labels: Record<string, string>;
  value: number;
};

export type MetricValues = {
  name: string;
  list_name: string;
  help: string;
  labels: string[];
  values: MetricSample[];
  seconds: number;
};

export type MetricsReport = {
  list_name: string;
  generated_at: string;
  metrics: MetricValues[];
  seconds: number;
};

export type NetworkStatus = {
  network_access: boolean;
  url: string | null;
  certificate: CertificateInfo | null;
  problem: string;
};

export type NewAccount = {
  email: string;
  password: string;
  first_name?: string;
  last_name?: string;
};

export type NotificationChange = {
  analyses: "all" | "failed" | "none";
};

export type NotificationChoices = {
  analyses: "all" | "failed" | "none";
};

export type PasswordChange = {
  current_password: string;
  new_password: string;
};

export type PasswordReset = {
  password: string;
};

export type ProgressAnswer = {
  cancel: boolean;
};

export type QualityRow = {
  sample_id: number;
  sample_name: string;
  sampling_date: string | null;
  config_id: number | null;
  config_name: string;
  result_id: number | null;
  analysed_at: string | null;
  total_reads: number | null;
  analysed_reads: number | null;
  analysed_share: number | null;
  reads_per_locus: Record<string, number>;
  clones: number | null;
  major_clones_per_locus: Record<string, number>;
  main_clone: MainClone | null;
  diversity: Record<string, number>;
  diversity_per_locus: Record<string, Record<string, number>>;
  merged_pairs: number[] | null;
  mean_read_length: number | null;
  read_lengths: ReadLengths | null;
  shared: SharedClones | null;
};

export type QueueState = {
  broker: string;
  answering: boolean;
  since: string;
  message: string;
};

export type QueuedJob = {
  id: number;
  kind: string;
  status: string;
  progress: number;
  attempts: number;
  created_at: string;
  started_at: string | null;
  sample_id: number | null;
  sample_set_id: number | null;
  worker_id: number | null;
  worker_name: string | null;
};

export type ReadLengths = {
  bin_width: number;
  bin_starts: number[];
  counts: number[];
  reads: number;
  complete: boolean;
  mean: number | null;
};

export type Release = {
  attempt: number;
};

export type ResultRecord = {
  id: number;
  sample_id: number;
  config_id: number;
  job_id: number | null;
  created_at: string;
  folder: string;
  summary: Record<string, unknown>;
};

export type Sample = {
  id: number;
  original_name: string;
  original_name2: string | null;
  original_name1: string;
  paired: boolean;
  network: boolean;
  status: string;
  status_message: string;
  size: number;
  size2: number | null;
  sha256: string | null;
  sha256_2: string | null;
  received: boolean;
  received2: boolean;
  sampling_date: string | null;
  info: string;
  tags: string[];
  pcr: string;
  sequencer: string;
  producer: string;
  uploaded_by: number | null;
  created_at: string;
  set_ids: number[];
};

export type SampleCreate = {
  original_name: string;
  original_name2?: string | null;
  original_name1?: string | null;
  sampling_date?: string | null;
  info?: string;
  pcr?: string;
  sequencer?: string;
  producer?: string;
};

export type SampleSetBatch = {
  kind: string;
  rows: string;
  group_id?: number | null;
};

export type SampleSetCreate = {
  name?: string | null;
  id_label?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  birth?: string | null;
  run_date?: string | null;
  sequencer?: string | null;
  pcr?: string | null;
  info?: string | null;
  kind: string;
  group_id?: number | null;
};

export type SampleSetGroups = {
  group_ids: number[];
};

export type SampleSetLink = {
  set_id: number;
};

export type SampleSetPage = {
  items: Record<string, unknown>[];
  total: number;
  limit: number;
  offset: number;
};

export type SampleSetUpdate = {
  name?: string | null;
  id_label?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  birth?: string | null;
  run_date?: string | null;
  sequencer?: string | null;
  pcr?: string | null;
  info?: string | null;
};

export type SampleUpdate = {
  original_name?: string | null;
  original_name2?: string | null;
  sampling_date?: string | null;
  info?: string | null;
  pcr?: string | null;
  sequencer?: string | null;
  producer?: string | null;
};

export type SecretStoreView = {
  kind: string;
  backend: string;
  location: string;
  reason: string;
};

export type SentMail = {
  id: number;
  created_at: string;
  kind: string;
  recipient: string;
  subject: string;
  status: string;
  attempts: number;
  sent_at: string | null;
  error: string;
};

export type ServerStatus = {
  health: Health;
  started_at: string;
  uptime_seconds: number;
  data_dir: string;
  disk_total_bytes: number;
  disk_free_bytes: number;
  database_bytes: number;
  counts: Record<string, number>;
  locked_users: number;
  jobs_by_status: Record<string, number>;
  last_jobs: JobLine[];
  workers: number;
  broker: string;
};

export type SetQuality = {
  sample_set_id: number;
  config_id: number | null;
  configs: ConfigChoice[];
  rows: QualityRow[];
};

export type SettingChange = {
  value: string | number | boolean | string[];
};

export type SettingChanged = {
  setting: SettingView;
  restart_required: boolean;
};

export type SettingView = {
  name: string;
  section: string;
  type: string;
  help: string;
  default: string;
  value: string;
  set: boolean;
  source: string;
  restart: boolean;
  pending_restart: boolean;
  secret: boolean;
  minimum: number | null;
  env_name: string;
};

export type SharedClones = {
  clones: number;
  samples: SharedWith[];
};

export type SharedWith = {
  sample_id: number;
  sample_name: string;
  sample_set_id: number;
  set_kind: string;
  clones: number;
};

export type SharingChoice = {
  id: number;
  name: string;
  description: string;
  owns: boolean;
};

export type SnapshotInfo = {
  name: string;
  created_at: string;
  trigger: string;
  files: number;
  bytes: number;
  new_bytes: number;
  sequences_included: boolean;
  app_version: string;
};

export type SourceEntry = {
  name: string;
  path: string;
  is_folder: boolean;
  size: number | null;
};

export type SourceListing = {
  path: string;
  entries: SourceEntry[];
};

export type SourcePick = {
  paths: string[];
  paired?: boolean;
  names?: string[] | null;
  sampling_date?: string | null;
  info?: string;
  pcr?: string;
  sequencer?: string;
  producer?: string;
};

export type Stopping = {
  stopping: boolean;
  requeued_jobs: number;
};

export type TestEmailRequest = {
  to?: string | null;
};

export type Throttle = {
  kind: string;
  name: string;
  failures: number;
  last_failure_at: string;
  throttled_until: string | null;
};

export type UploadStatus = {
  sample_id: number;
  number: number;
  received: number;
  complete: boolean;
  size: number | null;
  sha256: string | null;
  sample_status: string;
};

export type UserCreate = {
  email: string;
  password: string;
  first_name?: string;
  last_name?: string;
  group_ids?: number[];
};

export type UserSummary = {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  groups: GroupRef[];
  is_admin: boolean;
  locked: boolean;
  locked_at: string | null;
  failed_logins: number;
  throttled_until: string | null;
  created_at: string;
  last_login_at: string | null;
  sets_created: number;
  samples_uploaded: number;
  bytes_uploaded: number;
};

export type UserUpdate = {
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
};

export type Worker = {
  id: number;
  name: string;
  created_at: string;
  revoked_at: string | null;
  host: string | null;
  version: string | null;
  cores: number | null;
  address: string | null;
  last_seen_at: string | null;
  jobs_done: number;
  current_jobs: number[];
};

export type WorkerCreate = {
  name: string;
};

export type WorkerCreated = {
  worker: Worker;
  token: string;
};

export type WorkersPage = {
  workers: Worker[];
  jobs: QueuedJob[];
  queue: QueueState | null;
  network: NetworkStatus;
};

export type api_workers_Progress = {
  attempt: number;
  progress?: number | null;
};

export type services_backups_runs_Progress = {
  phase: string;
  files_done: number;
  files_total: number;
  bytes_done: number;
};

/** Each operation id: its method, path, parameters, JSON body and answer. */
export interface Operations {
  getHealth: {
    method: "GET";
    path: "/api/health";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: Health;
  };
  login: {
    method: "POST";
    path: "/api/auth/login";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: Credentials;
    answer: Me;
  };
  loginWithCode: {
    method: "POST";
    path: "/api/auth/login/code";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: LoginCode;
    answer: Me;
  };
  logout: {
    method: "POST";
    path: "/api/auth/logout";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: null;
  };
  getMe: {
    method: "GET";
    path: "/api/auth/me";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: Me;
  };
  createFirstAdmin: {
    method: "POST";
    path: "/api/auth/setup";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: NewAccount;
    answer: Me;
  };
  getAuthStatus: {
    method: "GET";
    path: "/api/auth/status";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: AuthStatus;
  };
  openLaunchPage: {
    method: "GET";
    path: "/auth/launch";
    path_parameters: Record<string, never>;
    query: {
      token: string;
    };
    body: never;
    answer: string;
  };
  launchWithToken: {
    method: "POST";
    path: "/auth/launch";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: unknown;
  };
  listConfigs: {
    method: "GET";
    path: "/api/configs";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: Config[];
  };
  createConfig: {
    method: "POST";
    path: "/api/configs";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: ConfigCreate;
    answer: Config;
  };
  getConfig: {
    method: "GET";
    path: "/api/configs/{config_id}";
    path_parameters: {
      config_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: Config;
  };
  updateConfig: {
    method: "PATCH";
    path: "/api/configs/{config_id}";
    path_parameters: {
      config_id: number;
    };
    query: Record<string, never>;
    body: ConfigUpdate;
    answer: Config;
  };
  deleteConfig: {
    method: "DELETE";
    path: "/api/configs/{config_id}";
    path_parameters: {
      config_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: null;
  };
  offerConfig: {
    method: "PUT";
    path: "/api/configs/{config_id}/groups";
    path_parameters: {
      config_id: number;
    };
    query: Record<string, never>;
    body: ConfigOffer;
    answer: Config;
  };
  listSetJobs: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/jobs";
    path_parameters: {
      set_id: number;
    };
    query: {
      limit?: number;
    };
    body: never;
    answer: Job[];
  };
  launchAnalyses: {
    method: "POST";
    path: "/api/sample-sets/{set_id}/analyses";
    path_parameters: {
      set_id: number;
    };
    query: Record<string, never>;
    body: AnalysisLaunch;
    answer: Job[];
  };
  cancelJob: {
    method: "POST";
    path: "/api/jobs/{job_id}/cancel";
    path_parameters: {
      job_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: Job;
  };
  listMyJobs: {
    method: "GET";
    path: "/api/jobs";
    path_parameters: Record<string, never>;
    query: {
      limit?: number;
      active?: boolean;
    };
    body: never;
    answer: Job[];
  };
  rerunJob: {
    method: "POST";
    path: "/api/jobs/{job_id}/rerun";
    path_parameters: {
      job_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: Job;
  };
  getAnalysis: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/analysis";
    path_parameters: {
      set_id: number;
    };
    query: {
      version?: number | null;
    };
    body: never;
    answer: Record<string, unknown>;
  };
  saveAnalysis: {
    method: "POST";
    path: "/api/sample-sets/{set_id}/analysis";
    path_parameters: {
      set_id: number;
    };
    query: {
      base_version?: number | null;
    };
    body: Record<string, unknown>;
    answer: AnalysisVersion;
  };
  getFusedResult: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/results";
    path_parameters: {
      set_id: number;
    };
    query: {
      config_id: number;
    };
    body: never;
    answer: string;
  };
  listFusedClones: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/clones";
    path_parameters: {
      set_id: number;
    };
    query: {
      config_id: number;
      sample?: number;
      limit?: number;
      offset?: number;
      sort?: string;
      locus?: string | null;
      productive?: boolean | null;
      search?: string | null;
    };
    body: never;
    answer: ClonePage;
  };
  listSetResults: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/result-files";
    path_parameters: {
      set_id: number;
    };
    query: {
      config_id?: number | null;
    };
    body: never;
    answer: Record<string, unknown>[];
  };
  listAnalysisVersions: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/analysis/versions";
    path_parameters: {
      set_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: AnalysisVersion[];
  };
  listResultClones: {
    method: "GET";
    path: "/api/results/{result_id}/clones";
    path_parameters: {
      result_id: number;
    };
    query: {
      limit?: number;
      offset?: number;
      sort?: string;
      locus?: string | null;
      productive?: boolean | null;
      search?: string | null;
    };
    body: never;
    answer: ClonePage;
  };
  downloadResultAirr: {
    method: "GET";
    path: "/api/results/{result_id}/airr";
    path_parameters: {
      result_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: string;
  };
  downloadResultVidjil: {
    method: "GET";
    path: "/api/results/{result_id}/vidjil";
    path_parameters: {
      result_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: string;
  };
  getResult: {
    method: "GET";
    path: "/api/results/{result_id}";
    path_parameters: {
      result_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: ResultRecord;
  };
  getSetQuality: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/qc";
    path_parameters: {
      set_id: number;
    };
    query: {
      config_id?: number | null;
    };
    body: never;
    answer: SetQuality;
  };
  exportSetQualityTsv: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/qc.tsv";
    path_parameters: {
      set_id: number;
    };
    query: {
      config_id?: number | null;
    };
    body: never;
    answer: string;
  };
  downloadSetArchive: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/archive.zip";
    path_parameters: {
      set_id: number;
    };
    query: {
      reads?: boolean;
    };
    body: never;
    answer: string;
  };
  compareResults: {
    method: "GET";
    path: "/api/compare.vidjil";
    path_parameters: Record<string, never>;
    query: {
      results: string;
    };
    body: never;
    answer: Record<string, unknown>;
  };
  downloadResultLog: {
    method: "GET";
    path: "/api/results/{result_id}/log";
    path_parameters: {
      result_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: string;
  };
  listSetSamples: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/samples";
    path_parameters: {
      set_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: Sample[];
  };
  createSample: {
    method: "POST";
    path: "/api/sample-sets/{set_id}/samples";
    path_parameters: {
      set_id: number;
    };
    query: Record<string, never>;
    body: SampleCreate;
    answer: Sample;
  };
  linkSourceSamples: {
    method: "POST";
    path: "/api/sample-sets/{set_id}/samples/from-source";
    path_parameters: {
      set_id: number;
    };
    query: Record<string, never>;
    body: SourcePick;
    answer: Sample[];
  };
  addSampleToSet: {
    method: "POST";
    path: "/api/samples/{sample_id}/sets";
    path_parameters: {
      sample_id: number;
    };
    query: Record<string, never>;
    body: SampleSetLink;
    answer: Sample;
  };
  getSample: {
    method: "GET";
    path: "/api/samples/{sample_id}";
    path_parameters: {
      sample_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: Sample;
  };
  updateSample: {
    method: "PATCH";
    path: "/api/samples/{sample_id}";
    path_parameters: {
      sample_id: number;
    };
    query: Record<string, never>;
    body: SampleUpdate;
    answer: Sample;
  };
  deleteSample: {
    method: "DELETE";
    path: "/api/samples/{sample_id}";
    path_parameters: {
      sample_id: number;
    };
    query: {
      set_id?: number | null;
    };
    body: never;
    answer: Sample;
  };
  downloadSampleFile: {
    method: "GET";
    path: "/api/samples/{sample_id}/files/{number}";
    path_parameters: {
      sample_id: number;
      number: number;
    };
    query: Record<string, never>;
    body: never;
    answer: string;
  };
  uploadSampleFile: {
    method: "PUT";
    path: "/api/samples/{sample_id}/files/{number}";
    path_parameters: {
      sample_id: number;
      number: number;
    };
    query: {
      offset?: number | null;
      sha256?: string | null;
    };
    body: never;
    answer: UploadStatus;
  };
  getUploadStatus: {
    method: "GET";
    path: "/api/samples/{sample_id}/files/{number}/status";
    path_parameters: {
      sample_id: number;
      number: number;
    };
    query: Record<string, never>;
    body: never;
    answer: UploadStatus;
  };
  listSourceFiles: {
    method: "GET";
    path: "/api/files/source";
    path_parameters: Record<string, never>;
    query: {
      path?: string;
    };
    body: never;
    answer: SourceListing;
  };
  listSampleSets: {
    method: "GET";
    path: "/api/sample-sets";
    path_parameters: Record<string, never>;
    query: {
      kind?: string | null;
      search?: string;
      sort?: string;
      limit?: number;
      offset?: number;
    };
    body: never;
    answer: SampleSetPage;
  };
  createSampleSet: {
    method: "POST";
    path: "/api/sample-sets";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: SampleSetCreate;
    answer: Record<string, unknown>;
  };
  createSampleSetsBatch: {
    method: "POST";
    path: "/api/sample-sets/batch";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: SampleSetBatch;
    answer: Record<string, number[]>;
  };
  getSampleSet: {
    method: "GET";
    path: "/api/sample-sets/{set_id}";
    path_parameters: {
      set_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: Record<string, unknown>;
  };
  updateSampleSet: {
    method: "PATCH";
    path: "/api/sample-sets/{set_id}";
    path_parameters: {
      set_id: number;
    };
    query: Record<string, never>;
    body: SampleSetUpdate;
    answer: Record<string, unknown>;
  };
  deleteSampleSet: {
    method: "DELETE";
    path: "/api/sample-sets/{set_id}";
    path_parameters: {
      set_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: null;
  };
  listSampleSetGroupChoices: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/groups";
    path_parameters: {
      set_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: SharingChoice[];
  };
  setSampleSetGroups: {
    method: "PUT";
    path: "/api/sample-sets/{set_id}/groups";
    path_parameters: {
      set_id: number;
    };
    query: Record<string, never>;
    body: SampleSetGroups;
    answer: Record<string, number[]>;
  };
  deleteGermline: {
    method: "DELETE";
    path: "/api/germlines/{name}";
    path_parameters: {
      name: string;
    };
    query: Record<string, never>;
    body: never;
    answer: null;
  };
  getGermlineGenes: {
    method: "GET";
    path: "/api/germlines/{name}/genes";
    path_parameters: {
      name: string;
    };
    query: {
      genes: string;
    };
    body: never;
    answer: GeneSequences;
  };
  listGermlines: {
    method: "GET";
    path: "/api/germlines";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: Record<string, unknown>[];
  };
  importGermline: {
    method: "POST";
    path: "/api/germlines";
    path_parameters: Record<string, never>;
    query: {
      name: string;
    };
    body: never;
    answer: Record<string, unknown>;
  };
  listUsers: {
    method: "GET";
    path: "/api/users";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: UserSummary[];
  };
  createUser: {
    method: "POST";
    path: "/api/users";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: UserCreate;
    answer: UserSummary;
  };
  getUser: {
    method: "GET";
    path: "/api/users/{user_id}";
    path_parameters: {
      user_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: UserSummary;
  };
  updateUser: {
    method: "PATCH";
    path: "/api/users/{user_id}";
    path_parameters: {
      user_id: number;
    };
    query: Record<string, never>;
    body: UserUpdate;
    answer: UserSummary;
  };
  lockUser: {
    method: "POST";
    path: "/api/users/{user_id}/lock";
    path_parameters: {
      user_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: UserSummary;
  };
  resetUserPassword: {
    method: "POST";
    path: "/api/users/{user_id}/password";
    path_parameters: {
      user_id: number;
    };
    query: Record<string, never>;
    body: PasswordReset;
    answer: null;
  };
  unlockUser: {
    method: "POST";
    path: "/api/users/{user_id}/unlock";
    path_parameters: {
      user_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: UserSummary;
  };
  changeOwnPassword: {
    method: "POST";
    path: "/api/auth/password";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: PasswordChange;
    answer: null;
  };
  addGroupMember: {
    method: "PUT";
    path: "/api/groups/{group_id}/members/{user_id}";
    path_parameters: {
      group_id: number;
      user_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: GroupDetail;
  };
  removeGroupMember: {
    method: "DELETE";
    path: "/api/groups/{group_id}/members/{user_id}";
    path_parameters: {
      group_id: number;
      user_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: null;
  };
  listGroups: {
    method: "GET";
    path: "/api/groups";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: GroupSummary[];
  };
  createGroup: {
    method: "POST";
    path: "/api/groups";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: GroupCreate;
    answer: GroupDetail;
  };
  getGroup: {
    method: "GET";
    path: "/api/groups/{group_id}";
    path_parameters: {
      group_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: GroupDetail;
  };
  updateGroup: {
    method: "PATCH";
    path: "/api/groups/{group_id}";
    path_parameters: {
      group_id: number;
    };
    query: Record<string, never>;
    body: GroupUpdate;
    answer: GroupDetail;
  };
  deleteGroup: {
    method: "DELETE";
    path: "/api/groups/{group_id}";
    path_parameters: {
      group_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: null;
  };
  exportAuditCsv: {
    method: "GET";
    path: "/api/audit.csv";
    path_parameters: Record<string, never>;
    query: {
      table?: string | null;
      record_id?: number | null;
      user_id?: number | null;
      action?: string | null;
      since?: string | null;
    };
    body: never;
    answer: string;
  };
  listAudit: {
    method: "GET";
    path: "/api/audit";
    path_parameters: Record<string, never>;
    query: {
      table?: string | null;
      record_id?: number | null;
      user_id?: number | null;
      action?: string | null;
      since?: string | null;
      limit?: number;
      offset?: number;
    };
    body: never;
    answer: AuditPage;
  };
  listSampleSetAudit: {
    method: "GET";
    path: "/api/sample-sets/{set_id}/audit";
    path_parameters: {
      set_id: number;
    };
    query: {
      limit?: number;
      offset?: number;
    };
    body: never;
    answer: AuditPage;
  };
  changeSetting: {
    method: "PUT";
    path: "/api/admin/settings/{name}";
    path_parameters: {
      name: string;
    };
    query: Record<string, never>;
    body: SettingChange;
    answer: SettingChanged;
  };
  runDiagnostics: {
    method: "POST";
    path: "/api/admin/diagnostics";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: DiagnosticsRequest;
    answer: Record<string, unknown>;
  };
  listLoginThrottles: {
    method: "GET";
    path: "/api/admin/login-throttles";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: Throttle[];
  };
  liftLoginThrottles: {
    method: "DELETE";
    path: "/api/admin/login-throttles";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: null;
  };
  listSettings: {
    method: "GET";
    path: "/api/admin/settings";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: SettingView[];
  };
  getNetworkStatus: {
    method: "GET";
    path: "/api/admin/network";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: NetworkStatus;
  };
  getSecretStore: {
    method: "GET";
    path: "/api/admin/secret-store";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: SecretStoreView;
  };
  getServerStatus: {
    method: "GET";
    path: "/api/admin/status";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: ServerStatus;
  };
  quitApp: {
    method: "POST";
    path: "/api/admin/quit";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: Stopping;
  };
  downloadLog: {
    method: "GET";
    path: "/api/admin/logs/{name}/download";
    path_parameters: {
      name: string;
    };
    query: Record<string, never>;
    body: never;
    answer: string;
  };
  listLogs: {
    method: "GET";
    path: "/api/admin/logs";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: LogFile[];
  };
  readLog: {
    method: "GET";
    path: "/api/admin/logs/{name}";
    path_parameters: {
      name: string;
    };
    query: {
      limit?: number;
      search?: string;
    };
    body: never;
    answer: LogLines;
  };
  getBackups: {
    method: "GET";
    path: "/api/admin/backups";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: BackupOverview;
  };
  runBackup: {
    method: "POST";
    path: "/api/admin/backups";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: BackupRun;
  };
  getBackupHealth: {
    method: "GET";
    path: "/api/admin/backups/health";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: BackupHealth;
  };
  runImport: {
    method: "POST";
    path: "/api/admin/exchange/imports/{token}";
    path_parameters: {
      token: string;
    };
    query: Record<string, never>;
    body: ImportRequest;
    answer: ImportDone;
  };
  discardImport: {
    method: "DELETE";
    path: "/api/admin/exchange/imports/{token}";
    path_parameters: {
      token: string;
    };
    query: Record<string, never>;
    body: never;
    answer: null;
  };
  downloadExport: {
    method: "GET";
    path: "/api/admin/exchange/exports/{token}";
    path_parameters: {
      token: string;
    };
    query: Record<string, never>;
    body: never;
    answer: string;
  };
  exportSets: {
    method: "POST";
    path: "/api/admin/exchange/exports";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: ExportRequest;
    answer: ExportDone;
  };
  uploadImport: {
    method: "POST";
    path: "/api/admin/exchange/imports";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: ImportPreview;
  };
  getEmailOverview: {
    method: "GET";
    path: "/api/admin/email";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: EmailOverview;
  };
  sendTestEmail: {
    method: "POST";
    path: "/api/admin/email/test";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: TestEmailRequest;
    answer: SentMail;
  };
  getMyNotifications: {
    method: "GET";
    path: "/api/account/notifications";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: NotificationChoices;
  };
  changeMyNotifications: {
    method: "PUT";
    path: "/api/account/notifications";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: NotificationChange;
    answer: NotificationChoices;
  };
  getMetrics: {
    method: "GET";
    path: "/api/metrics";
    path_parameters: Record<string, never>;
    query: {
      list?: "fast" | "long" | "all";
    };
    body: never;
    answer: MetricsReport;
  };
  getMetricsPrometheus: {
    method: "GET";
    path: "/api/metrics/prometheus";
    path_parameters: Record<string, never>;
    query: {
      list?: "fast" | "long" | "all";
    };
    body: never;
    answer: string;
  };
  listWorkers: {
    method: "GET";
    path: "/api/admin/workers";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: WorkersPage;
  };
  createWorker: {
    method: "POST";
    path: "/api/admin/workers";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: WorkerCreate;
    answer: WorkerCreated;
  };
  revokeWorker: {
    method: "POST";
    path: "/api/admin/workers/{worker_id}/revoke";
    path_parameters: {
      worker_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: Worker;
  };
  workerClaim: {
    method: "POST";
    path: "/api/worker/jobs/{job_id}/claim";
    path_parameters: {
      job_id: number;
    };
    query: Record<string, never>;
    body: never;
    answer: ClaimedJob;
  };
  workerComplete: {
    method: "POST";
    path: "/api/worker/jobs/{job_id}/complete";
    path_parameters: {
      job_id: number;
    };
    query: Record<string, never>;
    body: Completion;
    answer: null;
  };
  workerFail: {
    method: "POST";
    path: "/api/worker/jobs/{job_id}/fail";
    path_parameters: {
      job_id: number;
    };
    query: Record<string, never>;
    body: Failure;
    answer: null;
  };
  workerHello: {
    method: "GET";
    path: "/api/worker/hello";
    path_parameters: Record<string, never>;
    query: Record<string, never>;
    body: never;
    answer: Hello;
  };
  workerInput: {
    method: "GET";
    path: "/api/worker/jobs/{job_id}/inputs/{index}";
    path_parameters: {
      job_id: number;
      index: number;
    };
    query: {
      attempt: number;
    };
    body: never;
    answer: unknown;
  };
  workerOutput: {
    method: "PUT";
    path: "/api/worker/jobs/{job_id}/outputs/{name}";
    path_parameters: {
      job_id: number;
      name: string;
    };
    query: {
      attempt: number;
      sha256: string;
    };
    body: never;
    answer: null;
  };
  workerProgress: {
    method: "POST";
    path: "/api/worker/jobs/{job_id}/progress";
    path_parameters: {
      job_id: number;
    };
    query: Record<string, never>;
    body: api_workers_Progress;
    answer: ProgressAnswer;
  };
  workerRelease: {
    method: "POST";
    path: "/api/worker/jobs/{job_id}/release";
    path_parameters: {
      job_id: number;
    };
    query: Record<string, never>;
    body: Release;
    answer: null;
  };
}
