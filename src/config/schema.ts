/**
 * JSON Schema of `ct.config.yaml`. It checks the file (with ajv) and is published as
 * `docs/ct.config.schema.json` for editors (`npm run schema` writes it; a test keeps it in sync).
 * Defaults live here too, so the schema an editor shows is the one ct applies.
 */

import { ANOMALY_KINDS } from '../validate/schema.js';

const positiveInt = { type: 'integer', minimum: 1 } as const;
const gitIdentity = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'email'],
  properties: { name: { type: 'string', minLength: 1 }, email: { type: 'string', minLength: 3 } },
} as const;
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A day, YYYY-MM-DD.' } as const;

export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/ct/ct/docs/ct.config.schema.json',
  title: 'ct.config.yaml',
  description: 'Configuration of a ct continuous-training pipeline.',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'task', 'data', 'label', 'features', 'gates'],
  properties: {
    $schema: { type: 'string' },
    name: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9._-]*$',
      description: 'Name of the model in the registry (lower case, digits, ".", "_", "-").',
    },
    task: { enum: ['binary', 'multiclass', 'regression'], description: 'What the model predicts.' },
    data: {
      type: 'object',
      additionalProperties: false,
      required: ['path'],
      description: 'Where the data comes from and how it is split.',
      properties: {
        path: {
          type: 'string',
          minLength: 1,
          description: 'Folder of daily partitions (YYYY-MM-DD.<ext>) or one file, inside the repository (symbolic links followed), or an https:// URL.',
        },
        format: { enum: ['parquet', 'csv', 'jsonl'], description: 'File format; default from the file extension.' },
        timestamp: { type: 'string', description: 'Column holding the time of each row.' },
        timezone: {
          type: 'string',
          description:
            "IANA time zone (America/New_York) whose clock the hourOfDay and dayOfWeek features read (in training, serving, slices and the partition history), for timestamps that are instants (written in UTC or with an offset): a shop that opens at 08:00 local opens at 13:00 UTC in winter and 12:00 in summer, and without it a daylight-saving change shifts every hour the model sees and reads as a shifted day in validation. The model keeps it, so serving reads the same clock. Default: the UTC clock (timestamps without an offset are read as written). Partitions stay days of their file names; their first and last rows are timed on the zone's clock when they lie within its day, else in UTC (a partition cut at UTC midnight).",
        },
        schema: { type: 'string', description: 'Data schema file, inside the repository; default <data.path>/schema.json.' },
        window: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Days read from a partitioned folder. Empty: all of them.',
          properties: {
            newestDays: { ...positiveInt, description: 'The newest N calendar days.' },
            from: { ...isoDate, description: 'First day, inclusive.' },
            to: { ...isoDate, description: 'Last day, inclusive.' },
          },
        },
        split: {
          type: 'object',
          default: { method: 'time', evaluationDays: 7 },
          description: 'How rows are split into training and evaluation.',
          required: ['method'],
          discriminator: { propertyName: 'method' },
          oneOf: [
            {
              additionalProperties: false,
              required: ['method', 'evaluationDays'],
              properties: {
                method: { const: 'time', description: 'Evaluate on the newest days of the window.' },
                evaluationDays: { ...positiveInt, description: 'Number of newest days used for evaluation.' },
              },
            },
            {
              additionalProperties: false,
              required: ['method', 'evaluationFraction'],
              properties: {
                method: { const: 'hash', description: 'Seeded hashed split of rows.' },
                evaluationFraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
                seed: { type: 'integer', default: 42 },
                key: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Columns hashed to place a row.' },
              },
            },
          ],
        },
      },
    },
    label: {
      description: 'The label: a column ("species") or a comparison with a literal ("delay > 15"). Never evaluated as code.',
      oneOf: [
        { type: 'string', minLength: 1 },
        {
          type: 'object',
          additionalProperties: false,
          required: ['column'],
          properties: {
            column: { type: 'string' },
            op: { enum: ['>', '>=', '<', '<=', '==', '!='] },
            value: { type: ['number', 'string', 'boolean'] },
          },
        },
      ],
    },
    features: {
      type: 'array',
      minItems: 1,
      description: 'Model inputs, each derived from one column.',
      items: {
        type: 'object',
        additionalProperties: false,
        anyOf: [{ required: ['column'] }, { required: ['cross', 'name'] }],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Input name; default the column name.' },
          column: { type: 'string', description: 'Source column.' },
          cross: {
            type: 'array',
            items: { type: 'string' },
            minItems: 2,
            description: 'A hashed cross of earlier categorical features (by name), e.g. [origin, destination].',
          },
          hashBuckets: { ...positiveInt, default: 1000, description: 'Buckets of a hashed cross.' },
          transform: {
            enum: ['none', 'log1p', 'hourOfDay', 'dayOfWeek', 'bucketize', 'cross'],
            default: 'none',
            description: "hourOfDay/dayOfWeek read a timestamp (on the UTC clock, or data.timezone's); bucketize needs boundaries.",
          },
          kind: {
            enum: ['numeric', 'categorical', 'text', 'sequence'],
            description:
              'Default: categorical for strings and hourOfDay/dayOfWeek/bucketize, numeric otherwise. text: a string column as a fixed-length sequence of token ids (tokens, length). sequence: length numbers per row (a JSON array, or numbers separated by spaces, commas or semicolons).',
          },
          tokens: {
            enum: ['words', 'characters'],
            description: 'Text features: split into words (letters and digits, lower-cased) or characters. Default words.',
          },
          length: {
            type: 'integer',
            minimum: 1,
            maximum: 1024,
            description:
              'Text features: tokens kept per row, the last ones; shorter rows are padded at the start. Default 32 (words) or 16 (characters). Sequence features: numbers per row (required).',
          },
          boundaries: { type: 'array', items: { type: 'number' }, minItems: 1, description: 'Ascending bucket edges.' },
          embedding: { ...positiveInt, description: 'Embedding width of a categorical or text feature; default from its cardinality.' },
          maxVocabulary: { ...positiveInt, default: 1000, description: 'Most frequent values (text: tokens) kept for a string categorical or text feature.' },
          minCount: { ...positiveInt, default: 1, description: 'Rarer values go to the out-of-vocabulary bucket.' },
        },
      },
    },
    model: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The MLP body.',
      properties: {
        hidden: { type: 'array', items: positiveInt, default: [64, 64], description: 'Units of each hidden layer.' },
        activation: { enum: ['relu', 'elu', 'tanh', 'gelu'], default: 'relu' },
        dropout: { type: 'number', minimum: 0, maximum: 0.9, default: 0 },
        topology: {
          type: 'string',
          pattern: '\\.json$',
          description:
            "A model from a file: a model.json as TF.js saves it (or as a Keras model is converted to it), relative to the config; its layers are built afresh and trained on the repository's data. One input per feature, in the config's order.",
        },
        module: {
          type: 'string',
          pattern: '\\.m?js$',
          description:
            "Your own model: an ES module (relative to the config) exporting buildModel(spec), which returns a tf.LayersModel for ct's encoded inputs, and optionally registerLayers(tf). ct trains, evaluates, promotes and serves it; its source is kept with every version.",
        },
      },
    },
    training: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Optimiser and loop.',
      properties: {
        backend: {
          enum: ['auto', 'fused', 'tensorflow', 'wasm', 'cpu'],
          default: 'auto',
          description:
            "auto: train with ct's fused WebAssembly SIMD step where the model allows it, else TF.js; run TF.js on tfjs-node, else wasm, else cpu. fused: insist on the fused step. tensorflow, wasm, cpu: train with TF.js op by op on that backend.",
        },
        optimizer: { enum: ['adam', 'sgd', 'rmsprop'], default: 'adam' },
        learningRate: { type: 'number', exclusiveMinimum: 0, default: 0.001 },
        batchSize: { ...positiveInt, default: 512 },
        epochs: { ...positiveInt, default: 3 },
        seed: { type: 'integer', default: 42 },
        validationFraction: { type: 'number', minimum: 0, maximum: 0.5, default: 0.1 },
        earlyStoppingPatience: { type: 'integer', minimum: 0, default: 0, description: '0: never stop early.' },
        maxRows: { ...positiveInt, description: 'Train on a seeded sample of at most this many rows.' },
        classWeight: {
          description: 'Weight of each class in the loss: "balanced" (n / (classes x n_class)) or a weight per class (binary: "0" and "1").',
          oneOf: [{ const: 'balanced' }, { type: 'object', additionalProperties: { type: 'number', exclusiveMinimum: 0 } }],
        },
        warmStart: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description:
            "Start candidates from the production model's weights instead of from scratch. `ct update` always does (on the partitions that arrived since production); `ct run` and `ct train` when enabled.",
          properties: {
            enabled: { type: 'boolean', default: false, description: '`ct run` / `ct train` warm-start their candidates (on the whole window).' },
            epochs: { ...positiveInt, default: 1, description: 'Epochs of a warm-started candidate (training.epochs stays for full retrains).' },
            statistics: {
              enum: ['carry', 'refresh'],
              default: 'carry',
              description:
                "Numeric normalisation of a warm start. carry: production's means and deviations; refresh: refitted on the new rows, the first layer's weights rescaled so the starting model computes the same function.",
            },
            fullRetrainDays: {
              type: 'integer',
              minimum: 0,
              default: 28,
              description: 'A full retrain when the chain of warm starts began this many days of data ago (0: no cadence).',
            },
            fullOnDrift: { type: 'boolean', default: true, description: 'A full retrain when validation finds dataset drift (validation.drift).' },
          },
        },
      },
    },
    validation: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Data validation: anomaly severities, schema inference, drift.',
      properties: {
        severity: {
          type: 'object',
          default: {},
          description: 'Severity per anomaly kind (error fails validation, warning is reported).',
          propertyNames: { enum: [...ANOMALY_KINDS] },
          additionalProperties: { enum: ['error', 'warning'] },
        },
        maxDomainSize: { ...positiveInt, default: 1000, description: 'Schema inference keeps the domain of string columns with at most this many values.' },
        rowCount: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Rows per partition accepted, relative to the reference data.',
          properties: {
            minRatio: { type: 'number', minimum: 0, default: 0.5 },
            maxRatio: { type: 'number', minimum: 1, default: 2 },
          },
        },
        duplicates: { type: 'boolean', default: true, description: 'Report rows that repeat an earlier row exactly.' },
        history: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description:
            'Per-partition statistics kept as history; each new daily partition is tested against the days before it (same weekday, median and MAD).',
          properties: {
            enabled: { type: 'boolean', default: true, description: 'Test daily partitions against their history (folders of daily partitions only).' },
            cache: {
              type: 'string',
              default: '.ct/history',
              description: 'Folder of the cached per-partition profiles, relative to the config; a cache, recomputed when missing or stale.',
            },
            minDays: { ...positiveInt, default: 14, description: 'Days of history a partition needs before it is tested.' },
            maxDays: { ...positiveInt, default: 56, description: 'Newest days of history used at most.' },
            threshold: {
              type: 'number',
              exclusiveMinimum: 0,
              default: 16,
              description:
                'Robust z-score (deviation from the same-weekday median over 1.4826 MAD) beyond which a partition outside the range of every earlier day is an error.',
            },
            labelThreshold: {
              type: 'number',
              exclusiveMinimum: 0,
              default: 8,
              description:
                "The same for a classification label's mix (a binary label's rate, a multiclass label's class mix): rows relabelled upstream move nothing else the history can see, and the mix moves less from day to day than most statistics. Three quarters of it for the level, for its spread, of the number a threshold label is read off (delay of delay > 15).",
            },
            maxRowDrop: {
              type: 'number',
              exclusiveMinimum: 0,
              exclusiveMaximum: 1,
              default: 0.4,
              description:
                'Share of its expected rows (the same-weekday median) a partition may lack: one with fewer rows than every earlier day of its weekday and more than this share missing is an error, however much the volume varies from day to day (a partial upload).',
            },
            model: {
              type: 'boolean',
              default: true,
              description:
                'Score the production model on the newest labelled partition and the days before it: a score that collapses means labels no longer match the inputs.',
            },
          },
        },
        drift: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: "Drift of the newest data against the production model's training statistics (Evidently defaults).",
          properties: {
            method: {
              enum: ['auto', 'psi'],
              default: 'auto',
              description: 'auto: KS/chi²/Z for references of <= 1000 rows, Wasserstein/Jensen-Shannon above; psi: PSI >= 0.1.',
            },
            correction: {
              enum: ['benjamini-hochberg', 'bonferroni', 'none'],
              default: 'benjamini-hochberg',
              description: 'Multiple-testing correction of p-value tests.',
            },
            datasetDriftShare: {
              type: 'number',
              exclusiveMinimum: 0,
              maximum: 1,
              default: 0.5,
              description: 'Dataset drift when at least this share of columns drift.',
            },
            nullRateChange: {
              type: 'number',
              minimum: 0,
              maximum: 1,
              default: 0.05,
              description: "Absolute change of a column's null rate reported as a change.",
            },
            blocking: { type: 'boolean', default: false, description: 'Dataset drift fails validation (exit code 1) and stops the run.' },
            columns: { type: 'array', items: { type: 'string' }, description: 'Columns tested; default all but the timestamp.' },
          },
        },
      },
    },
    evaluation: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        threshold: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          default: 0.5,
          description: 'Decision threshold on the predicted probability for accuracy, precision, recall and F1.',
        },
        importance: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description:
            'Permutation importance of every feature for the candidate and production on the same evaluation rows, in the report and the model card; ct replay turns it off.',
          properties: {
            enabled: { type: 'boolean', default: true, description: 'Compute it (its cost is reported in seconds).' },
            repeats: { type: 'integer', minimum: 1, maximum: 50, default: 3, description: 'Shuffles per feature; the report shows their mean and range.' },
            maxRows: { ...positiveInt, default: 5000, description: 'Evaluation rows it uses at most (a seeded sample).' },
            seed: { type: 'integer', default: 42, description: 'Seed of the sample and of the shuffles.' },
          },
        },
        calibrationBins: {
          ...positiveInt,
          default: 10,
          description: 'Equal-width probability bins of the expected calibration error and the calibration chart.',
        },
        bootstrap: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Paired bootstrap of every metric delta: rows are resampled once per draw for both models.',
          properties: {
            samples: { type: 'integer', minimum: 0, default: 1000, description: 'Number of draws (B); 0 turns intervals off.' },
            seed: { type: 'integer', default: 42, description: 'Seed of the draws: the same seed gives the same intervals.' },
            confidence: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'Coverage of the percentile interval.' },
          },
        },
        slices: {
          type: 'array',
          default: [],
          description: 'Segments scored on their own, e.g. the 10 busiest origins or buckets of the hour of day.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['column'],
            properties: {
              name: {
                type: 'string',
                pattern: '^[A-Za-z0-9_.()-]+$',
                description: 'Name used in reports and in gates[].slice; default the column (with its transform).',
              },
              column: { type: 'string', description: 'Data column the slice is defined on.' },
              transform: { enum: ['hourOfDay', 'dayOfWeek'], description: 'Slice a timestamp column by hour of day (0-23) or ISO day of week (1 = Monday).' },
              top: { ...positiveInt, description: 'The N most frequent values in the evaluation rows.' },
              values: { type: 'array', minItems: 1, items: { type: ['string', 'number', 'boolean'] }, description: 'These values only.' },
              boundaries: {
                type: 'array',
                minItems: 1,
                items: { type: 'number' },
                description: 'Ascending bucket edges of a numeric value: (-inf, b0), [b0, b1), ..., [bn, +inf).',
              },
            },
          },
        },
        minSliceRows: { ...positiveInt, default: 200, description: 'Smaller slices are reported and skipped with a warning.' },
        latency: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Guard metrics latencyP50Ms / latencyP95Ms: batch prediction time of the candidate.',
          properties: {
            batchRows: { ...positiveInt, default: 1024 },
            repeats: { ...positiveInt, default: 20 },
          },
        },
        infraCheck: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Before any promotion, the saved candidate must load in a fresh process from its files alone and predict.',
          properties: {
            enabled: { type: 'boolean', default: true },
            sampleRows: { ...positiveInt, default: 256, description: 'Evaluation rows the fresh process predicts.' },
            latencyBudgetMs: {
              type: 'number',
              exclusiveMinimum: 0,
              default: 5000,
              description: 'Longest time allowed for that prediction (cold, in the fresh process).',
            },
          },
        },
      },
    },
    gates: {
      type: 'array',
      description: 'Promotion gates. None configured: evaluation fails closed.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['metric'],
        properties: {
          metric: {
            type: 'string',
            description:
              'auc, prAuc, logLoss, brier, accuracy, precision, recall, f1, ece, positiveRate (binary); accuracy, macroF1, logLoss (multiclass); rmse, mae, r2 (regression); modelBytes, latencyP50Ms, latencyP95Ms (all).',
          },
          slice: {
            type: 'string',
            description: 'Apply to every slice of evaluation.slices[] with this name, or to one slice ("origin=ORD"); default the whole evaluation set.',
          },
          significance: {
            type: 'object',
            additionalProperties: false,
            required: ['test'],
            description: 'Judge the paired-bootstrap interval of delta = candidate - production; skipped when there is no production model.',
            properties: {
              test: {
                enum: ['improvement', 'nonInferiority', 'noHarm'],
                description:
                  'improvement: the whole interval is better than +margin; nonInferiority: the whole interval is better than -margin; noHarm: fails only when the whole interval is worse than -margin (a loss beyond noise, for small slices).',
              },
              margin: { type: 'number', minimum: 0, default: 0 },
              direction: { enum: ['higherIsBetter', 'lowerIsBetter'], description: 'Default from the metric (auc: higher, logLoss: lower, ...).' },
            },
          },
          lowerBound: { type: 'number', description: 'Passes when value >= lowerBound.' },
          upperBound: { type: 'number', description: 'Passes when value <= upperBound.' },
          change: {
            type: 'object',
            additionalProperties: false,
            required: ['direction'],
            description: 'Threshold on delta = candidate - production, skipped when there is no production model.',
            properties: {
              direction: { enum: ['higherIsBetter', 'lowerIsBetter'] },
              absolute: { type: 'number' },
              relative: { type: 'number', description: 'On delta / |baseline|.' },
            },
          },
        },
      },
    },
    registry: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        path: { type: 'string', default: 'models', description: 'Registry folder, relative to the config file, inside the repository.' },
      },
    },
    sweep: {
      type: 'object',
      additionalProperties: false,
      required: ['parameters'],
      description:
        'A hyperparameter grid: each combination of values is one leg, trained and evaluated on the same rows; the best goes to the gates (`ct sweep`).',
      properties: {
        metric: { type: 'string', description: "Metric that picks the best leg; default the task's headline metric." },
        parameters: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^(model|training)\\.[A-Za-z][A-Za-z0-9]*$' },
          additionalProperties: { type: 'array', minItems: 1 },
          description: 'Dotted paths into model and training, each with its list of values, e.g. training.learningRate: [0.001, 0.003].',
        },
        maxLegs: { ...positiveInt, default: 16, description: 'Refuse grids with more combinations than this.' },
        maxParallel: { ...positiveInt, default: 4, description: "Legs running at once: the matrix's max-parallel on GitHub, processes locally." },
      },
    },
    monitoring: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        '`ct monitor`: score the production model on labelled data that arrived after its training, test drift, and decide: nothing to do, retrain, or alert.',
      properties: {
        newestDays: { ...positiveInt, default: 7, description: "Judge the newest N days of data that arrived after the production model's training data." },
        minRows: { ...positiveInt, default: 1000, description: 'Fewer labelled rows than this: too little to judge, nothing is decided.' },
        metric: { type: 'string', description: "Metric watched for decay; default the task's headline metric (auc, accuracy, rmse)." },
        retrainDrop: { type: 'number', minimum: 0, default: 0.02, description: 'Retrain when the metric is this much worse than at promotion.' },
        alertDrop: {
          type: 'number',
          minimum: 0,
          default: 0.05,
          description: 'Alert (open an issue, and retrain) when the metric is this much worse than at promotion.',
        },
        alertAfterRetrains: {
          ...positiveInt,
          default: 2,
          description: 'Alert when this many monitor runs in a row asked for retraining of the same production model and it is still decayed.',
        },
        retrainOnDrift: {
          type: 'boolean',
          default: true,
          description: "Retrain on dataset drift, label drift or prediction drift against the production model's training statistics.",
        },
        source: {
          enum: ['data', 'predictions'],
          default: 'data',
          description:
            "What is judged: the newest days of the data after production's training (data), or the newest days of ct serve's prediction log (predictions: what production was asked), joined to labels that arrived later.",
        },
        labelsPath: {
          type: 'string',
          default: 'labels',
          description:
            'With source predictions: folder of late labels, relative to the config, <labelsPath>/<model>/*.csv|jsonl|parquet with ct_request_id, ct_row (default 1) and the label column; joined to the logged predictions.',
        },
        webhook: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'A Slack-compatible webhook told of monitor runs, besides the GitHub issue; its URL is a secret, read from an environment variable.',
          properties: {
            env: {
              type: 'string',
              pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
              default: 'CT_MONITOR_WEBHOOK',
              description: 'Environment variable holding the webhook URL (a secret); unset: no webhook.',
            },
            on: {
              type: 'array',
              items: { enum: ['alert', 'retrain', 'none'] },
              default: ['alert'],
              description: 'Outcomes that are posted.',
            },
          },
        },
        driftWithoutLabels: {
          type: 'boolean',
          default: true,
          description: 'With fewer than minRows labelled rows, retrain on drift alone (input or prediction drift) instead of deciding nothing.',
        },
        workflow: {
          type: 'string',
          pattern: '^[A-Za-z0-9._-]+\\.ya?ml$',
          default: 'ct.yml',
          description: 'Workflow file dispatched to retrain (it needs `on: workflow_dispatch`).',
        },
        ref: { type: 'string', description: "Branch the retraining workflow runs on; default the repository's default branch." },
        labels: {
          type: 'array',
          items: { type: 'string' },
          default: ['ct', 'model-monitoring'],
          description: 'Labels of the alert issue (one open issue per model).',
        },
        historyBranch: {
          type: 'string',
          pattern: '^[A-Za-z0-9._/-]+$',
          default: 'ct/monitor',
          description: 'With --github, monitor results are committed to this branch (main is often protected).',
        },
      },
    },
    serving: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: '`ct serve`: an HTTP server for the production models of the registry.',
      properties: {
        host: { type: 'string', default: '127.0.0.1', description: 'Address to listen on (0.0.0.0 for every interface).' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080, description: 'Port to listen on (0: any free port).' },
        workers: {
          oneOf: [{ const: 'auto' }, positiveInt],
          default: 'auto',
          description: 'Worker processes answering requests; auto: one per core.',
        },
        maxBodyBytes: { ...positiveInt, default: 1048576, description: 'Largest request body accepted (413 beyond).' },
        maxRows: { ...positiveInt, default: 10000, description: 'Most rows in one request (413 beyond).' },
        reloadSeconds: {
          type: 'number',
          exclusiveMinimum: 0,
          default: 2,
          description: 'How often each worker looks at the production pointers for a new version to verify and swap in.',
        },
        shutdownSeconds: {
          type: 'number',
          exclusiveMinimum: 0,
          default: 10,
          description: 'On SIGTERM or SIGINT, how long requests in flight may take before the server stops anyway.',
        },
        deploy: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'The deploy hook: a signed POST /v1/deploy names a release (ct release) to install into the registry and swap in at once.',
          properties: {
            sources: {
              type: 'array',
              items: { type: 'string', pattern: '^https?://[^/]+/' },
              default: [],
              description: 'URL prefixes a release may be installed from, e.g. https://github.com/<owner>/<repo>/releases/download/. Empty: no deploy hook.',
            },
            secretEnv: {
              type: 'string',
              pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
              default: 'CT_DEPLOY_SECRET',
              description: 'Environment variable holding the shared secret requests are signed with (HMAC-SHA256); never logged.',
            },
          },
        },
        log: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'The prediction log: sampled requests with their predictions, as daily JSON Lines partitions per model.',
          properties: {
            enabled: { type: 'boolean', default: true, description: 'Log predictions.' },
            path: {
              type: 'string',
              default: 'predictions',
              description: 'Folder of the log, relative to the config file: <path>/<model>/<YYYY-MM-DD>.jsonl.',
            },
            sample: { type: 'number', minimum: 0, maximum: 1, default: 1, description: 'Share of requests logged.' },
            maxBytesPerDay: {
              ...positiveInt,
              default: 268435456,
              description: "Bytes a model's day of log may reach: past half of it the sampling rate halves, and halves again at each half of what remains.",
            },
          },
        },
      },
    },
    promotion: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Promotion by pull request (`ct promote --pr`).',
      properties: {
        base: { type: 'string', description: "Branch the pull request targets; default the repository's default branch on GitHub, else the current branch." },
        branchPrefix: {
          type: 'string',
          pattern: '^[A-Za-z0-9._/-]+$',
          default: 'ct/promote',
          description: 'The pull request branch is <branchPrefix>/<model>: one per model, updated in place.',
        },
        remote: { type: 'string', default: 'origin', description: 'Git remote to push the branch to.' },
        labels: { type: 'array', items: { type: 'string' }, default: ['ct', 'model-promotion'], description: 'Labels of the pull request.' },
        author: {
          ...gitIdentity,
          default: { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' },
          description: 'Author of the promotion commit (default the GitHub Actions bot).',
        },
        committer: { ...gitIdentity, description: 'Committer of the promotion commit; default the author.' },
      },
    },
  },
} as const;
