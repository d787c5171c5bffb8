// Source of schema/rollcall.schema.json. `npm run gen` turns it into the JSON Schema and the generated types.
// Written as code so that every property gets both `description` and `markdownDescription` from one text,
// and template patterns come from the same token lists the template engine uses.
import { CALENDAR_TOKENS, GROUP_TOKENS, USER_TOKENS, templatePattern } from '../../src/config/tokens.js';
import { TRANSPORT_PATTERN, endpointPattern } from '../../src/config/endpoints.js';
import { envNamePattern } from '../../src/config/secrets.js';
import { KNOWN_PERMISSIONS, OPERATION_PERMISSIONS, ROLLCALL_PERMISSIONS } from '../../src/tenant/permissions.js';

/** What a Graph permission allows of what the local tenant serves, from the one permissions table. */
function permissionAllows(permission: string): string {
  const ops = Object.entries(OPERATION_PERMISSIONS).filter(([, anyOf]) => anyOf.includes(permission)).map(([op]) => op);
  if (permission.startsWith('User-LifeCycleInfo.')) ops.push(permission.includes('ReadWrite') ? 'employeeLeaveDateTime (read and write, with User.Read.All or more)' : 'employeeLeaveDateTime (read, in $select)');
  return `Allows: ${ops.join('; ')}.`;
}

type Schema = Record<string, unknown>;

/** Plain text for hovers that do not render markdown; markdown (with `code`) for VS Code. */
function doc(markdown: string, extra: Schema = {}): Schema {
  return { description: markdown.replace(/`/g, ''), markdownDescription: markdown, ...extra };
}

// `switchesOn: true` marks a section whose presence turns a feature on (`classes:`): the loader does not create it
// to fill in its defaults (src/config/defaults.ts). Editors and the validator ignore it.
function obj(markdown: string, properties: Record<string, Schema>, extra: Schema = {}): Schema {
  return { type: 'object', ...doc(markdown), properties, additionalProperties: false, ...extra };
}

function oneOfEnum(markdown: string, values: [string, string][], extra: Schema = {}): Schema {
  return {
    type: 'string',
    ...doc(markdown),
    enum: values.map(([v]) => v),
    enumDescriptions: values.map(([, d]) => d),
    markdownEnumDescriptions: values.map(([, d]) => d),
    ...extra,
  };
}

function str(markdown: string, extra: Schema = {}): Schema {
  return { type: 'string', ...doc(markdown), ...extra };
}

function int(markdown: string, extra: Schema = {}): Schema {
  return { type: 'integer', ...doc(markdown), ...extra };
}

function bool(markdown: string, dflt: boolean): Schema {
  return { type: 'boolean', ...doc(markdown), default: dflt };
}

function strings(markdown: string, item: Schema = { type: 'string' }, extra: Schema = {}): Schema {
  return { type: 'array', ...doc(markdown), items: item, ...extra };
}

function template(markdown: string, tokens: readonly string[], extra: Schema = {}): Schema {
  const list = tokens.map((t) => `{${t}}`).join(', ');
  return str(`${markdown}\n\nTokens: ${list}; \`{token:N}\` keeps the first N characters, \`{token:-N}\` the last N.`, {
    pattern: templatePattern(tokens),
    patternErrorMessage: `unknown token in template; allowed tokens: ${list}`,
    ...extra,
  });
}

const secret = (what: string): Schema => ({ $ref: '#/definitions/secretRef', ...doc(`${what}. Secrets are never written in the file: write \`{ env: NAME }\` and set that environment variable.`) });

const path = (markdown: string, extra: Schema = {}): Schema => str(`${markdown} Relative paths are resolved against the file that sets them.`, extra);

const limit = (markdown: string, dflt: Schema): Schema => ({
  $ref: '#/definitions/limit',
  ...doc(markdown),
  default: dflt,
});

const groupSources: [string, string][] = [
  ['yearGroups', 'Year groups (Year 7, Year 8, …).'],
  ['registrationGroups', 'Registration (tutor) groups.'],
  ['houses', 'Houses.'],
  ['teachingGroups', 'Teaching groups (subject classes).'],
];

function passwordPolicy(who: string): Schema {
  return {
    ...doc(`How new ${who} passwords are made: either \`{ words, digits }\` (memorable words) or \`{ length }\` (random characters).`),
    oneOf: [
      obj('Memorable: words from a list joined together, then digits.', {
        words: int('How many words.', { minimum: 1, maximum: 6 }),
        digits: int('How many digits after the words (2 when left out).', { minimum: 0, maximum: 6 }),
      }, { required: ['words'] }),
      obj('Random characters from letters, digits and symbols.', {
        length: int('How many characters.', { minimum: 12, maximum: 256 }),
      }, { required: ['length'] }),
    ],
    defaultSnippets: [
      { label: 'words', body: { words: 2, digits: 2 } },
      { label: 'length', body: { length: 16 } },
    ],
  };
}

function rolePolicy(role: 'students' | 'staff'): Schema {
  const isStudent = role === 'students';
  const noun = isStudent ? 'student' : 'staff';
  return obj(`Accounts for ${role}.`, {
    enabled: bool(`Whether rollcall manages ${noun} accounts at all.`, true),
    scope: obj(`Which ${role} from the MIS get an account. Omitted filters mean everyone on roll.`, {
      ...(isStudent
        ? {
            yearGroups: strings('Year groups in scope, as the MIS writes them (e.g. `"7"`).', { type: 'string' }, { examples: [['7', '8', '9', '10', '11', '12', '13']], uniqueItems: true }),
            registrationGroups: strings('Registration groups in scope.', { type: 'string' }, { uniqueItems: true }),
          }
        : {
            staffCodes: strings('Only staff with these staff codes.', { type: 'string' }, { uniqueItems: true }),
          }),
      includeFutureStarters: bool(`Create accounts for ${role} whose MIS start date is still in the future.`, false),
    }),
    userPrincipalName: template(
      `Sign-in address template. Each token is transliterated to ASCII, lower-cased and stripped to a-z and 0-9; literal text stays. Taken addresses get 2, 3, … before the @.`,
      USER_TOKENS,
      { examples: isStudent ? ['{entryYear}{first}{last:1}@students.example.sch.uk', '{first}.{last}@students.example.sch.uk'] : ['{first:1}{last}@example.sch.uk'] },
    ),
    displayName: template('Display name template (tokens are kept as written, not transliterated).', USER_TOKENS, { default: '{preferredFirst} {preferredLast}' }),
    usageLocation: str('Two-letter country code (ISO 3166), required by Microsoft before a licence can be assigned.', { pattern: '^[A-Z]{2}$', patternErrorMessage: 'a two-letter country code in capitals, e.g. GB', examples: ['GB'] }),
    employeeType: str('Written to the account\'s `employeeType`.', { default: isStudent ? 'Student' : 'Staff', maxLength: 64 }),
    securityGroups: strings(
      'Security groups every account of this kind belongs to. rollcall creates and owns them; names are templates.',
      template('A security group name.', USER_TOKENS),
      { uniqueItems: true, default: [] },
    ),
    licenseGroups: strings(
      'Existing groups that assign licences (group-based licensing). They must exist: a missing one blocks the plan.',
      { type: 'string', minLength: 1 },
      { uniqueItems: true, default: [] },
    ),
    licences: strings(
      `Licences rollcall assigns to each ${noun} account directly (\`assignLicense\`), for tenants without group-based licensing: the SKU's part number as \`subscribedSkus\` lists it, alone or with service plans to switch off. Needs \`usageLocation\`. A SKU the tenant does not have, or too few free units for the plan, blocks the plan with the figures.`,
      {
        ...doc('A SKU part number (`STANDARDWOFFPACK_STUDENT`), or `{ sku, disabledPlans }`.'),
        oneOf: [
          str('A SKU part number, every service plan on.', { pattern: SKU_PATTERN, patternErrorMessage: 'a SKU part number such as STANDARDWOFFPACK_STUDENT' }),
          obj('A SKU with some of its service plans switched off.', {
            sku: str('The SKU part number (`skuPartNumber` in `subscribedSkus`).', { pattern: SKU_PATTERN, patternErrorMessage: 'a SKU part number such as STANDARDWOFFPACK_STUDENT', examples: [isStudent ? 'STANDARDWOFFPACK_STUDENT' : 'STANDARDWOFFPACK_FACULTY'] }),
            disabledPlans: strings('Service plans of the SKU to switch off, by `servicePlanName` (e.g. `YAMMER_EDU`).', { type: 'string', pattern: SKU_PATTERN, patternErrorMessage: 'a service plan name such as YAMMER_EDU' }, { uniqueItems: true, default: [], examples: [['YAMMER_EDU', 'SWAY']] }),
          }, { required: ['sku'] }),
        ],
        defaultSnippets: [
          { label: 'SKU', body: isStudent ? 'STANDARDWOFFPACK_STUDENT' : 'STANDARDWOFFPACK_FACULTY' },
          { label: 'SKU with plans off', body: { sku: isStudent ? 'STANDARDWOFFPACK_STUDENT' : 'STANDARDWOFFPACK_FACULTY', disabledPlans: ['YAMMER_EDU'] } },
        ],
      },
      { uniqueItems: true, default: [], examples: [[isStudent ? 'STANDARDWOFFPACK_STUDENT' : 'STANDARDWOFFPACK_FACULTY'], [{ sku: isStudent ? 'STANDARDWOFFPACK_STUDENT' : 'STANDARDWOFFPACK_FACULTY', disabledPlans: ['YAMMER_EDU'] }]] },
    ),
  }, {
    required: ['userPrincipalName'],
    // Graph assigns no licence to an account without a usage location: the one setting for it is usageLocation.
    if: { properties: { licences: { type: 'array', minItems: 1, ...doc('Any licence listed.') } }, required: ['licences'] },
    then: { properties: { usageLocation: true }, required: ['usageLocation'] },
  });
}

/** A SKU part number or service plan name as Graph spells them (`STANDARDWOFFPACK_STUDENT`, `Power_BI_Pro_Dept`). */
const SKU_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.+-]*$';

const schema: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://rollcall.invalid/schema/rollcall.schema.json',
  title: 'rollcall configuration',
  ...doc('A school\'s (or trust\'s) rollcall configuration: where the MIS data comes from, which Microsoft 365 tenant it provisions, and the rules for users, groups, classes and calendars.'),
  type: 'object',
  additionalProperties: false,
  required: ['version', 'school', 'source', 'tenant'],
  definitions: {
    secretRef: {
      type: 'object',
      ...doc('A reference to a secret held in an environment variable: `{ env: NAME }`.'),
      properties: {
        env: str('Name of the environment variable that holds the secret: a name of your own. Names of the CI runner\'s and the machine\'s own variables (`GITHUB_…`, `ACTIONS_…`, `RUNNER_…`, `INPUT_…`, `NODE_…`, `npm_…`, `PATH`, proxies …) are refused.', {
          pattern: envNamePattern(),
          patternErrorMessage: 'a name of your own (letters, digits, _), not one of the CI runner\'s or the machine\'s variables',
          examples: ['BROMCOM_PASSWORD'],
        }),
      },
      required: ['env'],
      additionalProperties: false,
      defaultSnippets: [{ label: '{ env: NAME }', body: { env: '${1:NAME}' } }],
    },
    limit: {
      type: 'object',
      ...doc('A safety limit: a plan past either figure is blocked until approved.'),
      properties: {
        percent: { type: 'number', ...doc('Largest share allowed, in percent of the relevant total.'), minimum: 0, maximum: 100 },
        count: int('Largest number allowed.', { minimum: 0 }),
      },
      additionalProperties: false,
      minProperties: 1,
    },
    groupExtra: obj('Accounts added to or kept out of a group on top of what the MIS says.', {
      include: strings('Addresses of accounts to add.', { type: 'string', format: 'email' }, { default: [], uniqueItems: true }),
      exclude: strings('Addresses of accounts to keep out.', { type: 'string', format: 'email' }, { default: [], uniqueItems: true }),
    }),
  },
  properties: {
    version: { ...doc('Version of the configuration format. Always `1`.'), type: 'integer', enum: [1], enumDescriptions: ['The first configuration format.'] },
    extends: path('A file this one builds on (e.g. a trust\'s shared defaults): its values apply unless this file sets them. Objects merge, arrays replace.', { examples: ['../trust.yaml'] }),
    school: obj('The school this file provisions.', {
      name: str('The school\'s name, as shown in reports.', { minLength: 1 }),
      key: str('Short id of this school inside a trust: prefixes anchors (e.g. `bts:s1001`) and group nicknames. 2–8 lower-case letters or digits.', { pattern: '^[a-z0-9]{2,8}$', patternErrorMessage: '2–8 lower-case letters or digits', examples: ['bts'] }),
      timeZone: str('IANA time zone for dates and the timetable.', { default: 'Europe/London', examples: ['Europe/London'] }),
      academicYearStart: str('Month and day the academic year starts (`MM-DD`). The year 2025-09-01..2026-08-31 is written "2025-26".', { pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', patternErrorMessage: 'month-day as MM-DD, e.g. "09-01"', default: '09-01' }),
    }, { required: ['name', 'key'] }),
    source: obj('Where the MIS data comes from: exactly one of `bromcom`, `oneroster`, `sds`, `csv`.', {
      bromcom: obj('Bromcom\'s Third Party SOAP API (a System User with the Third Party role; enable the entities under Setup > Third Party Access Permissions & Logs).', {
        url: str('Address of the read-only data service: `https://` (plain `http://` only to this machine, for an emulator).', {
          format: 'uri', pattern: TRANSPORT_PATTERN, patternErrorMessage: 'an https:// address (plain http:// only to this machine)',
          default: 'https://cloudmis.bromcom.com/Nucleus/WebServices/ThirdParty/TPReadOnlyDataService.asmx',
        }),
        schoolId: int('Bromcom school id.', { minimum: 1 }),
        username: secret('Bromcom third-party user name'),
        password: secret('Bromcom third-party password'),
        timeoutSeconds: int('How long one request may take before it counts as failed.', { minimum: 5, maximum: 3600, default: 120 }),
        retries: int('How often a transient failure (timeout, reset, server error) is retried. Credential errors are never retried.', { minimum: 0, maximum: 10, default: 3 }),
      }, { required: ['schoolId', 'username', 'password'] }),
      oneroster: obj('A OneRoster 1.1 or 1.2 CSV export (manifest.csv tells which).', {
        dir: path('Folder holding manifest.csv and the other files.'),
        schools: strings('The school(s) of a trust-wide export this config provisions, by org `sourcedId` or name (orgs.csv, type school). A person belongs to the schools their own record names (users.csv `orgSourcedIds`; in 1.2 the orgs of their roles), a class to its `schoolSourcedId`; everyone else is out of scope (not a leaver). Absent: the whole export is one school.', { type: 'string', minLength: 1 }, { examples: [['north-academy']], uniqueItems: true, minItems: 1 }),
      }, { required: ['dir'] }),
      sds: obj('A Microsoft School Data Sync CSV export.', {
        dir: path('Folder holding the CSV files.'),
        format: oneOfEnum('Which SDS format the files are in.', [
          ['v2.1', 'SDS v2.1: orgs, users, roles, classes, enrollments.'],
          ['v1', 'SDS v1: School, Section, Student, Teacher, StudentEnrollment, TeacherRoster.'],
          ['uk', 'SDS v1 UK format (DfE numbers, UK column names).'],
        ], { default: 'v2.1' }),
        schools: strings('The school(s) of a trust-wide SDS export this config provisions, by org `sourcedId` or name (v2.1: orgs.csv; v1/UK: School.csv `SIS ID`/`DfE Number` or `Name`). A person belongs to the schools of their own roles (v2.1 roles.csv `orgSourcedId`; v1 `School SIS ID`), a class to its org (`orgSourcedId`; v1 `School SIS ID`); everyone else is out of scope (not a leaver). Absent: the whole export is one school.', { type: 'string', minLength: 1 }, { examples: [['south-school']], uniqueItems: true, minItems: 1 }),
      }, { required: ['dir'] }),
      csv: obj('Plain CSV files with a column mapping.', {
        dir: path('Folder holding the CSV files.'),
        files: obj('File names inside `dir`.', {
          students: str('Students file.', { default: 'students.csv' }),
          staff: str('Staff file.', { default: 'staff.csv' }),
          // No `default`: a file named here must exist, while the unnamed one is read only when it is there.
          groups: str('Groups file. Without it, `groups.csv` is read when it is there.'),
          memberships: str('Memberships file. Without it, `memberships.csv` is read when it is there.'),
          lessons: str('Timetable lessons file. Without it, `lessons.csv` is read when it is there.'),
          contacts: str('Students\' contacts (parents, guardians): one row per student and contact. Read only when the config has `guardians:`, and then it must exist. Without it, `contacts.csv`.', { examples: ['contacts.csv'] }),
        }),
        columns: obj('For each file, which header holds which field. A field left out is read from a header of its own name.', {
          students: obj('Student columns.', Object.fromEntries(['id', 'first', 'last', 'middle', 'preferredFirst', 'preferredLast', 'yearGroup', 'registrationGroup', 'house', 'admissionNumber', 'upn', 'startDate', 'endDate', 'email'].map((k) => [k, str(`Header of the \`${k}\` column.`)]))),
          staff: obj('Staff columns.', Object.fromEntries(['id', 'first', 'last', 'middle', 'preferredFirst', 'preferredLast', 'staffCode', 'email', 'startDate', 'endDate'].map((k) => [k, str(`Header of the \`${k}\` column.`)]))),
          groups: obj('Group columns.', Object.fromEntries(['id', 'name', 'kind', 'subject', 'startDate', 'endDate'].map((k) => [k, str(`Header of the \`${k}\` column.`)]))),
          memberships: obj('Membership columns.', Object.fromEntries(['group', 'person', 'role'].map((k) => [k, str(`Header of the \`${k}\` column.`)]))),
          lessons: obj('Lesson columns.', Object.fromEntries(['group', 'staff', 'room', 'period', 'start', 'end'].map((k) => [k, str(`Header of the \`${k}\` column.`)]))),
          contacts: obj('Contact columns (read only with `guardians:`). `student`, `id`, `email`, `relationship` and a name (`name`, or `first` and `last`) must be in the file, under their own names or the headers given here; a missing one is a configuration problem naming this key.', {
            student: str('Header of the student\'s MIS id (`1001` or `student:1001`).', { examples: ['Student ID'] }),
            id: str('Header of the contact\'s own id in the MIS, stable between exports (one contact of several students keeps one id).', { examples: ['Contact ID'] }),
            name: str('Header of the contact\'s full name as shown in Teams (else `first` and `last`).', { examples: ['Contact Name'] }),
            first: str('Header of the contact\'s first name, when there is no full-name column.'),
            last: str('Header of the contact\'s last name, when there is no full-name column.'),
            email: str('Header of the contact\'s e-mail address (Parent Connection reaches contacts by it; a malformed one is left out with a warning naming the line).', { examples: ['Email'] }),
            phone: str('Header of the contact\'s mobile number.', { examples: ['Mobile'] }),
            relationship: str('Header of the relationship: Graph\'s words (parent, guardian, relative, aide, doctor, child, other) or the usual MIS words (Mother, Father, Step-father, Carer, Foster Carer, Grandparent, Other Relative, …); any other word is read as `other` with a warning.', { examples: ['Relationship'] }),
            consent: str('Header of a yes/no column saying the contact may see the student\'s data (e.g. parental responsibility). Absent: the MIS does not say.', { examples: ['Parental Responsibility'] }),
            priority: str('Header of the contact\'s priority among the student\'s contacts (1 = first).', { examples: ['Priority'] }),
          }),
        }),
      }, { required: ['dir'] }),
    }, {
      minProperties: 1,
      maxProperties: 1,
      defaultSnippets: [
        { label: 'bromcom', body: { bromcom: { schoolId: 0, username: { env: 'BROMCOM_USERNAME' }, password: { env: 'BROMCOM_PASSWORD' } } } },
        { label: 'oneroster', body: { oneroster: { dir: './mis-export' } } },
        { label: 'sds', body: { sds: { dir: './sds-export', format: 'v2.1' } } },
      ],
    }),
    tenant: obj('Which Microsoft 365 tenant: exactly one of `graph` (a real tenant) or `local` (a local tenant for trying things out), plus its domains.', {
      graph: obj('A real Microsoft 365 tenant reached through Microsoft Graph.', {
        tenantId: str('Directory (tenant) id.', { pattern: '^[0-9a-fA-F-]{36}$', patternErrorMessage: 'a GUID such as 00000000-0000-0000-0000-000000000000' }),
        clientId: str('Application (client) id of rollcall\'s app registration.', { pattern: '^[0-9a-fA-F-]{36}$', patternErrorMessage: 'a GUID such as 00000000-0000-0000-0000-000000000000' }),
        auth: oneOfEnum('How rollcall signs in.', [
          ['github-oidc', 'GitHub Actions OpenID Connect: a federated credential, no secret stored anywhere (recommended).'],
          ['client-secret', 'A client secret from `clientSecret`.'],
          ['certificate', 'A certificate from `certificatePath` (PEM).'],
          ['azure-default', 'Azure\'s default credential chain (environment, managed identity, Azure CLI).'],
        ], { default: 'github-oidc' }),
        clientSecret: secret('Client secret, for `auth: client-secret`'),
        certificatePath: path('PEM file with the certificate and its private key, for `auth: certificate`.'),
        certificatePassword: secret('Password of the certificate\'s private key, if it has one'),
        authorityHost: str('Sign-in authority (only for national clouds): one of Microsoft\'s sign-in clouds (`https://login.microsoftonline.com`, `.us`, `login.chinacloudapi.cn`, `login.partner.microsoftonline.cn`) unless `allowCustomEndpoints` is set.', {
          format: 'uri', pattern: TRANSPORT_PATTERN, patternErrorMessage: 'an https:// address', default: 'https://login.microsoftonline.com',
        }),
        graphUrl: str('Microsoft Graph address (only for national clouds): one of Microsoft\'s Graph clouds (`https://graph.microsoft.com`, `graph.microsoft.us`, `dod-graph.microsoft.us`, `microsoftgraph.chinacloudapi.cn`) unless `allowCustomEndpoints` is set.', {
          format: 'uri', pattern: TRANSPORT_PATTERN, patternErrorMessage: 'an https:// address', default: 'https://graph.microsoft.com',
        }),
        allowCustomEndpoints: bool('Allow an `authorityHost` or `graphUrl` outside Microsoft\'s clouds (a gateway or proxy you run). rollcall sends its client secret, certificate assertion or token there. On a pull request only the base branch\'s setting counts.', false),
        deltaMaxAgeHours: int('Warm reads: rollcall keeps the users and groups it read, with Graph\'s delta links, in `.rollcall/delta-state.json` beside the config (the Action: in its cache, encrypted), and the next run asks Graph only for what changed since. A full read comes back at least this often (hours); `0` reads in full every run and keeps nothing. Graph\'s delta links expire after 7 days.', { minimum: 0, maximum: 168, default: 168 }),
      }, {
        required: ['tenantId', 'clientId'],
        allOf: [
          {
            // Microsoft's clouds (or this machine) unless allowCustomEndpoints says otherwise.
            if: { not: { properties: { allowCustomEndpoints: { const: true } }, required: ['allowCustomEndpoints'] } },
            then: {
              properties: {
                authorityHost: str('Without `allowCustomEndpoints`: one of Microsoft\'s sign-in clouds, or this machine.', { pattern: endpointPattern('authority'), patternErrorMessage: 'one of Microsoft\'s sign-in clouds' }),
                graphUrl: str('Without `allowCustomEndpoints`: one of Microsoft\'s Graph clouds, or this machine.', { pattern: endpointPattern('graph'), patternErrorMessage: 'one of Microsoft\'s Graph clouds' }),
              },
            },
          },
          { if: { properties: { auth: { const: 'client-secret' } }, required: ['auth'] }, then: { properties: { clientSecret: true }, required: ['clientSecret'] } },
          { if: { properties: { auth: { const: 'certificate' } }, required: ['auth'] }, then: { properties: { certificatePath: true }, required: ['certificatePath'] } },
        ],
      }),
      local: obj('A local tenant: Graph\'s emulator running inside rollcall with its state in a file. For trying rollcall before touching production.', {
        state: path('JSON file that holds the local tenant.', { default: '.rollcall/tenant.json' }),
        port: int('Port for the in-process emulator; 0 picks a free one.', { minimum: 0, maximum: 65535, default: 0 }),
        permissions: strings(
          'Microsoft Graph application permissions the local tenant grants rollcall (the `roles` of its access token). Each request needs one of the permissions Graph\'s documentation names for it, else 403 `Authorization_RequestDenied`, as a real tenant answers: list fewer to try out an app registration before asking for consent (`rollcall check` says what is missing).',
          { type: 'string', enum: [...KNOWN_PERMISSIONS].sort(), enumDescriptions: [...KNOWN_PERMISSIONS].sort().map(permissionAllows) },
          { uniqueItems: true, default: [...ROLLCALL_PERMISSIONS] },
        ),
        licences: {
          type: 'object',
          ...doc('The licences the local tenant has bought: SKU part number → units (`subscribedSkus` answers with them, each with a stable synthetic `skuId` and a few service plans). For rehearsing `users.*.licences`.'),
          propertyNames: { pattern: SKU_PATTERN },
          additionalProperties: int('Units bought (`prepaidUnits.enabled`).', { minimum: 0 }),
          examples: [{ STANDARDWOFFPACK_STUDENT: 1500, STANDARDWOFFPACK_FACULTY: 150 }],
        },
      }),
      domains: strings(
        'Verified domains this school\'s accounts live in. Accounts outside them are never touched.',
        { type: 'string', format: 'hostname' },
        { minItems: 1, uniqueItems: true, examples: [['example.sch.uk', 'students.example.sch.uk']] },
      ),
      education: bool('An Education tenant: classes become education classes with class teams.', false),
    }, {
      required: ['domains'],
      oneOf: [{ properties: { graph: true }, required: ['graph'] }, { properties: { local: true }, required: ['local'] }],
    }),
    users: obj('Rules for user accounts.', {
      mode: oneOfEnum('Whether the MIS creates accounts or only links to existing ones.', [
        ['create', 'The MIS drives creation, suspension and deletion.'],
        ['link', 'Match and enrich existing accounts only; never create or suspend ("sync only", e.g. accounts from Entra Connect).'],
      ], { default: 'create' }),
      anchor: oneOfEnum('Where the MIS id is stored on the account (e.g. `bts:s1001`).', [
        ['employeeId', 'The account\'s employeeId (up to 16 characters).'],
        ...Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, `onPremisesExtensionAttributes.extensionAttribute${i + 1} (cloud-only accounts).`] as [string, string]),
      ], { default: 'employeeId' }),
      match: strings('How existing accounts are found, in order.', oneOfEnum('A way to match.', [
        ['anchor', 'The MIS id stored in the anchor attribute.'],
        ['workEmail', 'The work e-mail held in the MIS equals the account\'s address.'],
        ['manual', 'A row in the `manualMatches` CSV.'],
      ]), { uniqueItems: true, default: ['anchor', 'workEmail', 'manual'] }),
      manualMatches: path('CSV with two columns, `misId,userPrincipalName`, pairing MIS people with existing accounts ("Manual Match"). `create` in place of the address (`student:1042,create`) says no existing account is theirs: a new one is created even when a likely existing account is found.', { examples: ['matches/users.csv'] }),
      addressOverrides: path('CSV with two columns, `misId,userPrincipalName`: the address a new account gets in place of the template\'s (e.g. a name with no letters a-z). Each address must be in tenant.domains.', { examples: ['matches/addresses.csv'] }),
      students: rolePolicy('students'),
      staff: rolePolicy('staff'),
      exclusions: obj('People and accounts never created, changed or suspended ("Sync Exclusion").', {
        misIds: strings('MIS ids, written `student:1001` or `staff:31`.', { type: 'string', pattern: '^(student|staff):[^\\s]+$', patternErrorMessage: 'write student:<id> or staff:<id>' }, { default: [], uniqueItems: true }),
        userPrincipalNames: strings('Account addresses.', { type: 'string', format: 'email' }, { default: [], uniqueItems: true }),
        addresses: strings('Address patterns (`*` wildcard) that rollcall never generates nor links to, such as role mailboxes.', { type: 'string' }, { default: ['admin@*', 'administrator@*', 'postmaster@*', 'abuse@*', 'webmaster@*', 'noreply@*', 'security@*'] }),
      }),
      leavers: obj('What happens to the accounts of people who left.', {
        action: oneOfEnum('What to do after the grace period.', [
          ['suspend', 'Block sign-in (accountEnabled false); the account and its data stay.'],
          ['delete', 'Delete the account (restorable for 30 days).'],
        ], { default: 'suspend' }),
        graceDays: int('Days to wait after the MIS end date (or the day rollcall first saw the person gone).', { minimum: 0, maximum: 365, default: 7 }),
        deleteAfterDays: int('Suspended accounts are deleted this many days after suspension. Omit to keep them.', { minimum: 1, maximum: 3650 }),
        licences: oneOfEnum('What happens to the licences rollcall assigned (`users.*.licences`) when a leaver\'s account is suspended. Only SKUs the config lists, only on rollcall\'s own accounts; a deleted account frees its licences itself.', [
          ['remove', 'Remove them with the suspension: a suspended account still holds its units.'],
          ['keep', 'Keep them until the account is deleted (Exchange Online keeps an unlicensed mailbox only 30 days).'],
        ], { default: 'remove' }),
      }),
      onNameChange: oneOfEnum('Whether a changed MIS name renames the account.', [
        ['keep', 'Keep the address; update the display name only.'],
        ['rename', 'Also change the sign-in address to match the template.'],
      ], { default: 'keep' }),
      passwords: obj('Passwords of new accounts. Never printed, logged or put in a plan.', {
        students: passwordPolicy('student'),
        staff: passwordPolicy('staff'),
        forceChangeOnFirstSignIn: bool('Ask for a new password at first sign-in.', true),
        recipient: str('Your school\'s own age public key (`age-keygen -o key.txt` prints it): new passwords are written only to a file encrypted to it, opened with `rollcall passwords open FILE --identity key.txt`. A key published in documentation (as in the examples) is refused. Without it, accounts get passwords nobody knows.', { pattern: '^age1[02-9ac-hj-np-z]{58}$', patternErrorMessage: 'an age public key (age1…, 62 characters)' }),
        out: path('Where the encrypted password file is written.', { default: '.rollcall/passwords.age' }),
      }),
    }),
    groups: obj('Microsoft 365 or security groups from MIS groups ("Groups Provisioning").', {
      from: strings('Which MIS groups become groups.', oneOfEnum('A kind of MIS group.', groupSources), { uniqueItems: true, default: [] }),
      type: oneOfEnum('Kind of group to create.', [
        ['microsoft365', 'Microsoft 365 group (mailbox, Teams-ready).'],
        ['security', 'Security group (access and licensing).'],
      ], { default: 'microsoft365' }),
      displayName: template('Group name template.', GROUP_TOKENS, { default: '{name}' }),
      mailNickname: template('Nickname template: how rollcall finds each of its groups, so keep it stable. It must start with `{schoolKey}-`, contain `{misId}`, and not start like a class (`{schoolKey}-class-`) or security group (`{schoolKey}-sg-`) nickname.', GROUP_TOKENS, { default: '{schoolKey}-{kind}-{misId}' }),
      staffAs: oneOfEnum('How staff of a group join it.', [
        ['owners', 'Owners (students are members).'],
        ['members', 'Members.'],
        ['ownersAndMembers', 'Both owners and members.'],
      ], { default: 'owners' }),
      map: { type: 'object', ...doc('MIS groups (by name) that feed a group which already exists (by address): membership only, never its settings.'), additionalProperties: { type: 'string', format: 'email' }, default: {} },
      extraMembers: { type: 'object', ...doc('Per MIS group name: accounts to include or exclude on top of the MIS.'), additionalProperties: { $ref: '#/definitions/groupExtra' }, default: {} },
      exclude: strings('MIS group names (`*` wildcard) never made into groups.', { type: 'string' }, { default: [] }),
      onEnd: oneOfEnum('What happens to a group rollcall made when the MIS no longer has it (a tutor group at rollover). Keep and archive let it go for good: rollcall never adopts, archives or deletes it again.', [
        ['keep', 'Leave the group, its members, files and conversations as they are; rollcall stops managing it.'],
        ['archive', 'Rename it with its academic year, remove rollcall\'s accounts from its members (owners stay), hide it from the address list; rollcall stops managing it.'],
        ['delete', 'Delete the group with its files and conversations (a deletion, counted by safety.maxDeletions).'],
      ], { default: 'keep' }),
    }),
    classes: obj('Education classes and class teams from MIS groups ("Classroom Provisioning"; Education tenants only).', {
      from: strings('Which MIS groups become classes.', oneOfEnum('A kind of MIS group.', groupSources), { uniqueItems: true, default: ['teachingGroups'] }),
      displayName: template('Class name template; `{academicYear}` keeps last year\'s classes apart.', GROUP_TOKENS, { default: '{academicYear}-{name}' }),
      mailNickname: template('Class nickname template.', GROUP_TOKENS, { default: '{schoolKey}-class-{academicYear}-{misId}' }),
      team: bool('Create the class team from the educationClass template.', true),
      onEnd: oneOfEnum('What happens to a class team when the class ends.', [
        ['archive', 'Archive the team (read-only, kept).'],
        ['keep', 'Leave it as it is.'],
      ], { default: 'archive' }),
      matches: path('CSV with two columns, `misGroupId,classMail`, adopting existing classes ("Match from CSV").'),
      exclude: strings('MIS group names (`*` wildcard) never made into classes.', { type: 'string' }, { default: [] }),
    }, { switchesOn: true }),
    calendar: obj('Timetable lessons as events in users\' calendars ("Calendar Provisioning").', {
      enabled: bool('Write timetable events.', false),
      windowDays: int('Only the next N days are written.', { minimum: 1, maximum: 366, default: 30 }),
      users: oneOfEnum('Whose calendars get lessons.', [
        ['all', 'Everyone in scope with lessons.'],
        ['staff', 'Staff only (their teaching timetable).'],
        ['students', 'Students only.'],
        ['listed', 'Only the people in `listed`.'],
      ], { default: 'all' }),
      listed: strings('People whose calendars get lessons when `users: listed`.', { type: 'string', pattern: '^(student|staff):[^\\s]+$', patternErrorMessage: 'write student:<id> or staff:<id>' }, { default: [] }),
      exclude: strings('People whose calendars are never written.', { type: 'string', pattern: '^(student|staff):[^\\s]+$', patternErrorMessage: 'write student:<id> or staff:<id>' }, { default: [] }),
      subject: template('Event subject template.', CALENDAR_TOKENS, { default: '{class}' }),
      reminderMinutes: int('Reminder before each lesson, in minutes; omit for none.', { minimum: 0, maximum: 1440 }),
    }),
    guardians: obj('Parents and guardians as the related contacts of each managed student\'s education profile (`relatedContacts` on `/education/users`), which Teams Parent Connection reads. Education tenants only. Absent: contacts are neither read from the MIS nor written. rollcall never creates accounts for parents.', {
      relationships: strings('Which of the MIS\'s contacts become related contacts, in Graph\'s words (each source maps its own onto these). Contacts with other relationships are left out, and related contacts of other relationships that someone else set on a student are left as they are.', oneOfEnum('A relationship, as Graph names it.', [
        ['parent', 'A parent.'],
        ['guardian', 'A legal guardian or carer.'],
        ['relative', 'Another relative.'],
        ['aide', 'An aide or support worker.'],
        ['doctor', 'A doctor.'],
        ['child', 'A child of the person.'],
        ['other', 'Any other contact.'],
      ]), { uniqueItems: true, minItems: 1, default: ['parent', 'guardian'] }),
      phones: bool('Send contacts\' mobile phone numbers (`mobilePhone`). Off by default: only names, e-mail addresses and relationships are written.', false),
      consent: oneOfEnum('Which contacts are written with `accessConsent: true` (consented to see the student\'s data in Parent Connection).', [
        ['whenMisSays', 'Contacts the MIS marks as consented (e.g. parental responsibility, "may be contacted"); a contact the MIS says nothing about has none.'],
        ['all', 'Every contact written.'],
        ['none', 'No contact: Parent Connection lists them, consent is given elsewhere.'],
      ], { default: 'whenMisSays' }),
      maxPerStudent: int('At most this many contacts per student, the MIS\'s first by priority. Omit for all of them.', { minimum: 1, maximum: 100 }),
    }, { switchesOn: true }),
    safety: obj('Limits past which a plan is blocked until approved (exit 3, nothing written).', {
      maxSuspensions: limit('Suspensions, against active managed accounts.', { percent: 5 }),
      maxDeletions: limit('Deletions of users, groups and classes, against managed users and groups. Calendar events are not counted here (see maxEventDeletions).', { percent: 1 }),
      maxEventDeletions: limit('Deletions of rollcall\'s calendar events (cancelled or moved lessons), against rollcall\'s events in the tenant. Generous by default: a timetable that vanishes is stopped, a cancelled class is not.', { percent: 50 }),
      maxMembershipRemovals: limit('Membership removals, against managed memberships.', { percent: 10 }),
      maxGuardianRemovals: limit('Guardians (related contacts) taken off students, in updates and removals, against the related contacts rollcall manages. A source that stops sending contacts is stopped here.', { percent: 10, count: 200 }),
      maxSourceDrop: limit('How far MIS people in scope may fall below active managed accounts before suspensions stop.', { percent: 10 }),
    }),
    report: obj('What plans, PR comments and mails show.', {
      personalData: oneOfEnum('How much personal data plans and PR comments show. A public repository never gets names.', [
        ['masked', 'MIS ids, initials and year group; no names.'],
        ['full', 'Names and addresses.'],
        ['counts', 'Counts only.'],
      ], { default: 'masked' }),
      summaryTo: { ...doc('Address (or addresses) that get a summary mail after each apply and after every scheduled run (see `summaryWhen`).'), oneOf: [{ type: 'string', format: 'email' }, { type: 'array', items: { type: 'string', format: 'email' }, minItems: 1 }] },
      summaryFrom: str('Mailbox that sends the summary mail (rollcall\'s app needs Mail.Send for it).', { format: 'email' }),
      summaryWhen: oneOfEnum('When the summary mail goes out (after an apply, and after every scheduled run, whatever it did).', [
        ['always', 'Every time: a quiet night says so, so a missing mail means a run that did not happen.'],
        ['changes', 'When the run applied changes, or left changes waiting for review.'],
        ['failures', 'When a change failed or a safety limit blocked the plan.'],
      ], { default: 'always' }),
      journal: oneOfEnum('Where the Action keeps its journal of applied changes (the CLI always appends to `.rollcall/journal/` beside this file).', [
        ['artifact', 'The run\'s journal is a file for `actions/upload-artifact` (output `journal-file`); it lasts as long as artifacts are kept.'],
        ['branch', 'Also appended, one file per run, to the `rollcall/journal` branch (needs `contents: write`), so the record outlives artifact retention.'],
      ], { default: 'artifact' }),
    }),
    schedule: obj('What a scheduled run does.', {
      autoApply: oneOfEnum('Whether a scheduled run applies its plan.', [
        ['withinLimits', 'Apply when the plan is within the safety limits; otherwise open a review pull request.'],
        ['never', 'Plan only; every change goes through a review pull request.'],
      ], { default: 'never' }),
    }),
  },
  defaultSnippets: [{
    label: 'rollcall school',
    body: {
      version: 1,
      school: { name: '${1:School name}', key: '${2:key}' },
      source: { oneroster: { dir: './mis-export' } },
      tenant: { local: { state: '.rollcall/tenant.json' }, domains: ['${3:example.sch.uk}'] },
      users: { students: { userPrincipalName: '{first}.{last}@${3:example.sch.uk}' } },
    },
  }],
};

export default schema;
