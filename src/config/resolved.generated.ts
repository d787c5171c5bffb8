/* Generated from schema/rollcall.schema.json by `npm run gen`. Do not edit by hand. */

/**
 * A school's (or trust's) rollcall configuration: where the MIS data comes from, which Microsoft 365 tenant it provisions, and the rules for users, groups, classes and calendars.
 */
export interface ResolvedRollcallConfiguration {
  /**
   * Version of the configuration format. Always 1.
   */
  version: 1;
  /**
   * A file this one builds on (e.g. a trust's shared defaults): its values apply unless this file sets them. Objects merge, arrays replace. Relative paths are resolved against the file that sets them.
   */
  extends?: string;
  /**
   * The school this file provisions.
   */
  school: {
    /**
     * The school's name, as shown in reports.
     */
    name: string;
    /**
     * Short id of this school inside a trust: prefixes anchors (e.g. bts:s1001) and group nicknames. 2–8 lower-case letters or digits.
     */
    key: string;
    /**
     * IANA time zone for dates and the timetable.
     */
    timeZone: string;
    /**
     * Month and day the academic year starts (MM-DD). The year 2025-09-01..2026-08-31 is written "2025-26".
     */
    academicYearStart: string;
  };
  /**
   * Where the MIS data comes from: exactly one of bromcom, oneroster, sds, csv.
   */
  source: {
    /**
     * Bromcom's Third Party SOAP API (a System User with the Third Party role; enable the entities under Setup > Third Party Access Permissions & Logs).
     */
    bromcom?: {
      /**
       * Address of the read-only data service: https:// (plain http:// only to this machine, for an emulator).
       */
      url: string;
      /**
       * Bromcom school id.
       */
      schoolId: number;
      username: SecretRef;
      password: SecretRef1;
      /**
       * How long one request may take before it counts as failed.
       */
      timeoutSeconds: number;
      /**
       * How often a transient failure (timeout, reset, server error) is retried. Credential errors are never retried.
       */
      retries: number;
    };
    /**
     * A OneRoster 1.1 or 1.2 CSV export (manifest.csv tells which).
     */
    oneroster?: {
      /**
       * Folder holding manifest.csv and the other files. Relative paths are resolved against the file that sets them.
       */
      dir: string;
      /**
       * The school(s) of a trust-wide export this config provisions, by org sourcedId or name (orgs.csv, type school). A person belongs to the schools their own record names (users.csv orgSourcedIds; in 1.2 the orgs of their roles), a class to its schoolSourcedId; everyone else is out of scope (not a leaver). Absent: the whole export is one school.
       *
       * @minItems 1
       */
      schools?: [string, ...string[]];
    };
    /**
     * A Microsoft School Data Sync CSV export.
     */
    sds?: {
      /**
       * Folder holding the CSV files. Relative paths are resolved against the file that sets them.
       */
      dir: string;
      /**
       * Which SDS format the files are in.
       */
      format: 'v2.1' | 'v1' | 'uk';
      /**
       * The school(s) of a trust-wide SDS export this config provisions, by org sourcedId or name (v2.1: orgs.csv; v1/UK: School.csv SIS ID/DfE Number or Name). A person belongs to the schools of their own roles (v2.1 roles.csv orgSourcedId; v1 School SIS ID), a class to its org (orgSourcedId; v1 School SIS ID); everyone else is out of scope (not a leaver). Absent: the whole export is one school.
       *
       * @minItems 1
       */
      schools?: [string, ...string[]];
    };
    /**
     * Plain CSV files with a column mapping.
     */
    csv?: {
      /**
       * Folder holding the CSV files. Relative paths are resolved against the file that sets them.
       */
      dir: string;
      /**
       * File names inside dir.
       */
      files: {
        /**
         * Students file.
         */
        students: string;
        /**
         * Staff file.
         */
        staff: string;
        /**
         * Groups file. Without it, groups.csv is read when it is there.
         */
        groups?: string;
        /**
         * Memberships file. Without it, memberships.csv is read when it is there.
         */
        memberships?: string;
        /**
         * Timetable lessons file. Without it, lessons.csv is read when it is there.
         */
        lessons?: string;
        /**
         * Students' contacts (parents, guardians): one row per student and contact. Read only when the config has guardians:, and then it must exist. Without it, contacts.csv.
         */
        contacts?: string;
      };
      /**
       * For each file, which header holds which field. A field left out is read from a header of its own name.
       */
      columns?: {
        /**
         * Student columns.
         */
        students?: {
          /**
           * Header of the id column.
           */
          id?: string;
          /**
           * Header of the first column.
           */
          first?: string;
          /**
           * Header of the last column.
           */
          last?: string;
          /**
           * Header of the middle column.
           */
          middle?: string;
          /**
           * Header of the preferredFirst column.
           */
          preferredFirst?: string;
          /**
           * Header of the preferredLast column.
           */
          preferredLast?: string;
          /**
           * Header of the yearGroup column.
           */
          yearGroup?: string;
          /**
           * Header of the registrationGroup column.
           */
          registrationGroup?: string;
          /**
           * Header of the house column.
           */
          house?: string;
          /**
           * Header of the admissionNumber column.
           */
          admissionNumber?: string;
          /**
           * Header of the upn column.
           */
          upn?: string;
          /**
           * Header of the startDate column.
           */
          startDate?: string;
          /**
           * Header of the endDate column.
           */
          endDate?: string;
          /**
           * Header of the email column.
           */
          email?: string;
        };
        /**
         * Staff columns.
         */
        staff?: {
          /**
           * Header of the id column.
           */
          id?: string;
          /**
           * Header of the first column.
           */
          first?: string;
          /**
           * Header of the last column.
           */
          last?: string;
          /**
           * Header of the middle column.
           */
          middle?: string;
          /**
           * Header of the preferredFirst column.
           */
          preferredFirst?: string;
          /**
           * Header of the preferredLast column.
           */
          preferredLast?: string;
          /**
           * Header of the staffCode column.
           */
          staffCode?: string;
          /**
           * Header of the email column.
           */
          email?: string;
          /**
           * Header of the startDate column.
           */
          startDate?: string;
          /**
           * Header of the endDate column.
           */
          endDate?: string;
        };
        /**
         * Group columns.
         */
        groups?: {
          /**
           * Header of the id column.
           */
          id?: string;
          /**
           * Header of the name column.
           */
          name?: string;
          /**
           * Header of the kind column.
           */
          kind?: string;
          /**
           * Header of the subject column.
           */
          subject?: string;
          /**
           * Header of the startDate column.
           */
          startDate?: string;
          /**
           * Header of the endDate column.
           */
          endDate?: string;
        };
        /**
         * Membership columns.
         */
        memberships?: {
          /**
           * Header of the group column.
           */
          group?: string;
          /**
           * Header of the person column.
           */
          person?: string;
          /**
           * Header of the role column.
           */
          role?: string;
        };
        /**
         * Lesson columns.
         */
        lessons?: {
          /**
           * Header of the group column.
           */
          group?: string;
          /**
           * Header of the staff column.
           */
          staff?: string;
          /**
           * Header of the room column.
           */
          room?: string;
          /**
           * Header of the period column.
           */
          period?: string;
          /**
           * Header of the start column.
           */
          start?: string;
          /**
           * Header of the end column.
           */
          end?: string;
        };
        /**
         * Contact columns (read only with guardians:). student, id, email, relationship and a name (name, or first and last) must be in the file, under their own names or the headers given here; a missing one is a configuration problem naming this key.
         */
        contacts?: {
          /**
           * Header of the student's MIS id (1001 or student:1001).
           */
          student?: string;
          /**
           * Header of the contact's own id in the MIS, stable between exports (one contact of several students keeps one id).
           */
          id?: string;
          /**
           * Header of the contact's full name as shown in Teams (else first and last).
           */
          name?: string;
          /**
           * Header of the contact's first name, when there is no full-name column.
           */
          first?: string;
          /**
           * Header of the contact's last name, when there is no full-name column.
           */
          last?: string;
          /**
           * Header of the contact's e-mail address (Parent Connection reaches contacts by it; a malformed one is left out with a warning naming the line).
           */
          email?: string;
          /**
           * Header of the contact's mobile number.
           */
          phone?: string;
          /**
           * Header of the relationship: Graph's words (parent, guardian, relative, aide, doctor, child, other) or the usual MIS words (Mother, Father, Step-father, Carer, Foster Carer, Grandparent, Other Relative, …); any other word is read as other with a warning.
           */
          relationship?: string;
          /**
           * Header of a yes/no column saying the contact may see the student's data (e.g. parental responsibility). Absent: the MIS does not say.
           */
          consent?: string;
          /**
           * Header of the contact's priority among the student's contacts (1 = first).
           */
          priority?: string;
        };
      };
    };
  };
  /**
   * Which Microsoft 365 tenant: exactly one of graph (a real tenant) or local (a local tenant for trying things out), plus its domains.
   */
  tenant: (
    | {
        graph: unknown;
      }
    | {
        local: unknown;
      }
  ) & {
    /**
     * A real Microsoft 365 tenant reached through Microsoft Graph.
     */
    graph?: {
      /**
       * Directory (tenant) id.
       */
      tenantId: string;
      /**
       * Application (client) id of rollcall's app registration.
       */
      clientId: string;
      /**
       * How rollcall signs in.
       */
      auth: 'github-oidc' | 'client-secret' | 'certificate' | 'azure-default';
      clientSecret?: SecretRef2;
      /**
       * PEM file with the certificate and its private key, for auth: certificate. Relative paths are resolved against the file that sets them.
       */
      certificatePath?: string;
      certificatePassword?: SecretRef3;
      /**
       * Sign-in authority (only for national clouds): one of Microsoft's sign-in clouds (https://login.microsoftonline.com, .us, login.chinacloudapi.cn, login.partner.microsoftonline.cn) unless allowCustomEndpoints is set.
       */
      authorityHost: string;
      /**
       * Microsoft Graph address (only for national clouds): one of Microsoft's Graph clouds (https://graph.microsoft.com, graph.microsoft.us, dod-graph.microsoft.us, microsoftgraph.chinacloudapi.cn) unless allowCustomEndpoints is set.
       */
      graphUrl: string;
      /**
       * Allow an authorityHost or graphUrl outside Microsoft's clouds (a gateway or proxy you run). rollcall sends its client secret, certificate assertion or token there. On a pull request only the base branch's setting counts.
       */
      allowCustomEndpoints: boolean;
      /**
       * Warm reads: rollcall keeps the users and groups it read, with Graph's delta links, in .rollcall/delta-state.json beside the config (the Action: in its cache, encrypted), and the next run asks Graph only for what changed since. A full read comes back at least this often (hours); 0 reads in full every run and keeps nothing. Graph's delta links expire after 7 days.
       */
      deltaMaxAgeHours: number;
    };
    /**
     * A local tenant: Graph's emulator running inside rollcall with its state in a file. For trying rollcall before touching production.
     */
    local?: {
      /**
       * JSON file that holds the local tenant. Relative paths are resolved against the file that sets them.
       */
      state: string;
      /**
       * Port for the in-process emulator; 0 picks a free one.
       */
      port: number;
      /**
       * Microsoft Graph application permissions the local tenant grants rollcall (the roles of its access token). Each request needs one of the permissions Graph's documentation names for it, else 403 Authorization_RequestDenied, as a real tenant answers: list fewer to try out an app registration before asking for consent (rollcall check says what is missing).
       */
      permissions: (
        | 'Calendars.Read'
        | 'Calendars.ReadBasic'
        | 'Calendars.ReadWrite'
        | 'Directory.Read.All'
        | 'Directory.ReadWrite.All'
        | 'Domain.Read.All'
        | 'Domain.ReadWrite.All'
        | 'EduRoster.Read.All'
        | 'EduRoster.ReadBasic.All'
        | 'EduRoster.ReadWrite.All'
        | 'Group.Create'
        | 'Group.Read.All'
        | 'Group.ReadWrite.All'
        | 'GroupMember.Read.All'
        | 'GroupMember.ReadWrite.All'
        | 'LicenseAssignment.Read.All'
        | 'Mail.Send'
        | 'Organization.Read.All'
        | 'Organization.ReadWrite.All'
        | 'Team.Create'
        | 'Team.ReadBasic.All'
        | 'TeamSettings.Read.All'
        | 'TeamSettings.ReadWrite.All'
        | 'Teamwork.Migrate.All'
        | 'User-LifeCycleInfo.Read.All'
        | 'User-LifeCycleInfo.ReadWrite.All'
        | 'User.DeleteRestore.All'
        | 'User.Read.All'
        | 'User.ReadWrite.All'
      )[];
      /**
       * The licences the local tenant has bought: SKU part number → units (subscribedSkus answers with them, each with a stable synthetic skuId and a few service plans). For rehearsing users.*.licences.
       */
      licences?: {
        /**
         * Units bought (prepaidUnits.enabled).
         */
        [k: string]: number | undefined;
      };
    };
    /**
     * Verified domains this school's accounts live in. Accounts outside them are never touched.
     *
     * @minItems 1
     */
    domains: [string, ...string[]];
    /**
     * An Education tenant: classes become education classes with class teams.
     */
    education: boolean;
  };
  /**
   * Rules for user accounts.
   */
  users: {
    /**
     * Whether the MIS creates accounts or only links to existing ones.
     */
    mode: 'create' | 'link';
    /**
     * Where the MIS id is stored on the account (e.g. bts:s1001).
     */
    anchor:
      | 'employeeId'
      | 'extensionAttribute1'
      | 'extensionAttribute2'
      | 'extensionAttribute3'
      | 'extensionAttribute4'
      | 'extensionAttribute5'
      | 'extensionAttribute6'
      | 'extensionAttribute7'
      | 'extensionAttribute8'
      | 'extensionAttribute9'
      | 'extensionAttribute10'
      | 'extensionAttribute11'
      | 'extensionAttribute12'
      | 'extensionAttribute13'
      | 'extensionAttribute14'
      | 'extensionAttribute15';
    /**
     * How existing accounts are found, in order.
     *
     * Items: A way to match.
     */
    match: ('anchor' | 'workEmail' | 'manual')[];
    /**
     * CSV with two columns, misId,userPrincipalName, pairing MIS people with existing accounts ("Manual Match"). create in place of the address (student:1042,create) says no existing account is theirs: a new one is created even when a likely existing account is found. Relative paths are resolved against the file that sets them.
     */
    manualMatches?: string;
    /**
     * CSV with two columns, misId,userPrincipalName: the address a new account gets in place of the template's (e.g. a name with no letters a-z). Each address must be in tenant.domains. Relative paths are resolved against the file that sets them.
     */
    addressOverrides?: string;
    /**
     * Accounts for students.
     */
    students?: {
      /**
       * Whether rollcall manages student accounts at all.
       */
      enabled: boolean;
      /**
       * Which students from the MIS get an account. Omitted filters mean everyone on roll.
       */
      scope: {
        /**
         * Year groups in scope, as the MIS writes them (e.g. "7").
         */
        yearGroups?: string[];
        /**
         * Registration groups in scope.
         */
        registrationGroups?: string[];
        /**
         * Create accounts for students whose MIS start date is still in the future.
         */
        includeFutureStarters: boolean;
      };
      /**
       * Sign-in address template. Each token is transliterated to ASCII, lower-cased and stripped to a-z and 0-9; literal text stays. Taken addresses get 2, 3, … before the @.
       *
       * Tokens: {first}, {last}, {middle}, {preferredFirst}, {preferredLast}, {misId}, {admissionNumber}, {entryYear}, {yearGroup}, {registrationGroup}, {house}, {staffCode}, {schoolKey}; {token:N} keeps the first N characters, {token:-N} the last N.
       */
      userPrincipalName: string;
      /**
       * Display name template (tokens are kept as written, not transliterated).
       *
       * Tokens: {first}, {last}, {middle}, {preferredFirst}, {preferredLast}, {misId}, {admissionNumber}, {entryYear}, {yearGroup}, {registrationGroup}, {house}, {staffCode}, {schoolKey}; {token:N} keeps the first N characters, {token:-N} the last N.
       */
      displayName: string;
      /**
       * Two-letter country code (ISO 3166), required by Microsoft before a licence can be assigned.
       */
      usageLocation?: string;
      /**
       * Written to the account's employeeType.
       */
      employeeType: string;
      /**
       * Security groups every account of this kind belongs to. rollcall creates and owns them; names are templates.
       *
       * Items: A security group name.
       *
       * Tokens: {first}, {last}, {middle}, {preferredFirst}, {preferredLast}, {misId}, {admissionNumber}, {entryYear}, {yearGroup}, {registrationGroup}, {house}, {staffCode}, {schoolKey}; {token:N} keeps the first N characters, {token:-N} the last N.
       */
      securityGroups: string[];
      /**
       * Existing groups that assign licences (group-based licensing). They must exist: a missing one blocks the plan.
       */
      licenseGroups: string[];
      /**
       * Licences rollcall assigns to each student account directly (assignLicense), for tenants without group-based licensing: the SKU's part number as subscribedSkus lists it, alone or with service plans to switch off. Needs usageLocation. A SKU the tenant does not have, or too few free units for the plan, blocks the plan with the figures.
       *
       * Items: A SKU part number (STANDARDWOFFPACK_STUDENT), or { sku, disabledPlans }.
       */
      licences: (
        | string
        | {
            /**
             * The SKU part number (skuPartNumber in subscribedSkus).
             */
            sku: string;
            /**
             * Service plans of the SKU to switch off, by servicePlanName (e.g. YAMMER_EDU).
             */
            disabledPlans?: string[];
          }
      )[];
    };
    /**
     * Accounts for staff.
     */
    staff?: {
      /**
       * Whether rollcall manages staff accounts at all.
       */
      enabled: boolean;
      /**
       * Which staff from the MIS get an account. Omitted filters mean everyone on roll.
       */
      scope: {
        /**
         * Only staff with these staff codes.
         */
        staffCodes?: string[];
        /**
         * Create accounts for staff whose MIS start date is still in the future.
         */
        includeFutureStarters: boolean;
      };
      /**
       * Sign-in address template. Each token is transliterated to ASCII, lower-cased and stripped to a-z and 0-9; literal text stays. Taken addresses get 2, 3, … before the @.
       *
       * Tokens: {first}, {last}, {middle}, {preferredFirst}, {preferredLast}, {misId}, {admissionNumber}, {entryYear}, {yearGroup}, {registrationGroup}, {house}, {staffCode}, {schoolKey}; {token:N} keeps the first N characters, {token:-N} the last N.
       */
      userPrincipalName: string;
      /**
       * Display name template (tokens are kept as written, not transliterated).
       *
       * Tokens: {first}, {last}, {middle}, {preferredFirst}, {preferredLast}, {misId}, {admissionNumber}, {entryYear}, {yearGroup}, {registrationGroup}, {house}, {staffCode}, {schoolKey}; {token:N} keeps the first N characters, {token:-N} the last N.
       */
      displayName: string;
      /**
       * Two-letter country code (ISO 3166), required by Microsoft before a licence can be assigned.
       */
      usageLocation?: string;
      /**
       * Written to the account's employeeType.
       */
      employeeType: string;
      /**
       * Security groups every account of this kind belongs to. rollcall creates and owns them; names are templates.
       *
       * Items: A security group name.
       *
       * Tokens: {first}, {last}, {middle}, {preferredFirst}, {preferredLast}, {misId}, {admissionNumber}, {entryYear}, {yearGroup}, {registrationGroup}, {house}, {staffCode}, {schoolKey}; {token:N} keeps the first N characters, {token:-N} the last N.
       */
      securityGroups: string[];
      /**
       * Existing groups that assign licences (group-based licensing). They must exist: a missing one blocks the plan.
       */
      licenseGroups: string[];
      /**
       * Licences rollcall assigns to each staff account directly (assignLicense), for tenants without group-based licensing: the SKU's part number as subscribedSkus lists it, alone or with service plans to switch off. Needs usageLocation. A SKU the tenant does not have, or too few free units for the plan, blocks the plan with the figures.
       *
       * Items: A SKU part number (STANDARDWOFFPACK_STUDENT), or { sku, disabledPlans }.
       */
      licences: (
        | string
        | {
            /**
             * The SKU part number (skuPartNumber in subscribedSkus).
             */
            sku: string;
            /**
             * Service plans of the SKU to switch off, by servicePlanName (e.g. YAMMER_EDU).
             */
            disabledPlans?: string[];
          }
      )[];
    };
    /**
     * People and accounts never created, changed or suspended ("Sync Exclusion").
     */
    exclusions: {
      /**
       * MIS ids, written student:1001 or staff:31.
       */
      misIds: string[];
      /**
       * Account addresses.
       */
      userPrincipalNames: string[];
      /**
       * Address patterns (* wildcard) that rollcall never generates nor links to, such as role mailboxes.
       */
      addresses: string[];
    };
    /**
     * What happens to the accounts of people who left.
     */
    leavers: {
      /**
       * What to do after the grace period.
       */
      action: 'suspend' | 'delete';
      /**
       * Days to wait after the MIS end date (or the day rollcall first saw the person gone).
       */
      graceDays: number;
      /**
       * Suspended accounts are deleted this many days after suspension. Omit to keep them.
       */
      deleteAfterDays?: number;
      /**
       * What happens to the licences rollcall assigned (users.*.licences) when a leaver's account is suspended. Only SKUs the config lists, only on rollcall's own accounts; a deleted account frees its licences itself.
       */
      licences: 'remove' | 'keep';
    };
    /**
     * Whether a changed MIS name renames the account.
     */
    onNameChange: 'keep' | 'rename';
    /**
     * Passwords of new accounts. Never printed, logged or put in a plan.
     */
    passwords: {
      /**
       * How new student passwords are made: either { words, digits } (memorable words) or { length } (random characters).
       */
      students?:
        | {
            /**
             * How many words.
             */
            words: number;
            /**
             * How many digits after the words (2 when left out).
             */
            digits?: number;
          }
        | {
            /**
             * How many characters.
             */
            length: number;
          };
      /**
       * How new staff passwords are made: either { words, digits } (memorable words) or { length } (random characters).
       */
      staff?:
        | {
            /**
             * How many words.
             */
            words: number;
            /**
             * How many digits after the words (2 when left out).
             */
            digits?: number;
          }
        | {
            /**
             * How many characters.
             */
            length: number;
          };
      /**
       * Ask for a new password at first sign-in.
       */
      forceChangeOnFirstSignIn: boolean;
      /**
       * Your school's own age public key (age-keygen -o key.txt prints it): new passwords are written only to a file encrypted to it, opened with rollcall passwords open FILE --identity key.txt. A key published in documentation (as in the examples) is refused. Without it, accounts get passwords nobody knows.
       */
      recipient?: string;
      /**
       * Where the encrypted password file is written. Relative paths are resolved against the file that sets them.
       */
      out: string;
    };
  };
  /**
   * Microsoft 365 or security groups from MIS groups ("Groups Provisioning").
   */
  groups: {
    /**
     * Which MIS groups become groups.
     *
     * Items: A kind of MIS group.
     */
    from: ('yearGroups' | 'registrationGroups' | 'houses' | 'teachingGroups')[];
    /**
     * Kind of group to create.
     */
    type: 'microsoft365' | 'security';
    /**
     * Group name template.
     *
     * Tokens: {academicYear}, {name}, {kind}, {misId}, {subject}, {schoolKey}; {token:N} keeps the first N characters, {token:-N} the last N.
     */
    displayName: string;
    /**
     * Nickname template: how rollcall finds each of its groups, so keep it stable. It must start with {schoolKey}-, contain {misId}, and not start like a class ({schoolKey}-class-) or security group ({schoolKey}-sg-) nickname.
     *
     * Tokens: {academicYear}, {name}, {kind}, {misId}, {subject}, {schoolKey}; {token:N} keeps the first N characters, {token:-N} the last N.
     */
    mailNickname: string;
    /**
     * How staff of a group join it.
     */
    staffAs: 'owners' | 'members' | 'ownersAndMembers';
    /**
     * MIS groups (by name) that feed a group which already exists (by address): membership only, never its settings.
     */
    map: {
      [k: string]: string | undefined;
    };
    /**
     * Per MIS group name: accounts to include or exclude on top of the MIS.
     */
    extraMembers: {
      [k: string]: GroupExtra | undefined;
    };
    /**
     * MIS group names (* wildcard) never made into groups.
     */
    exclude: string[];
    /**
     * What happens to a group rollcall made when the MIS no longer has it (a tutor group at rollover). Keep and archive let it go for good: rollcall never adopts, archives or deletes it again.
     */
    onEnd: 'keep' | 'archive' | 'delete';
  };
  /**
   * Education classes and class teams from MIS groups ("Classroom Provisioning"; Education tenants only).
   */
  classes?: {
    /**
     * Which MIS groups become classes.
     *
     * Items: A kind of MIS group.
     */
    from: ('yearGroups' | 'registrationGroups' | 'houses' | 'teachingGroups')[];
    /**
     * Class name template; {academicYear} keeps last year's classes apart.
     *
     * Tokens: {academicYear}, {name}, {kind}, {misId}, {subject}, {schoolKey}; {token:N} keeps the first N characters, {token:-N} the last N.
     */
    displayName: string;
    /**
     * Class nickname template.
     *
     * Tokens: {academicYear}, {name}, {kind}, {misId}, {subject}, {schoolKey}; {token:N} keeps the first N characters, {token:-N} the last N.
     */
    mailNickname: string;
    /**
     * Create the class team from the educationClass template.
     */
    team: boolean;
    /**
     * What happens to a class team when the class ends.
     */
    onEnd: 'archive' | 'keep';
    /**
     * CSV with two columns, misGroupId,classMail, adopting existing classes ("Match from CSV"). Relative paths are resolved against the file that sets them.
     */
    matches?: string;
    /**
     * MIS group names (* wildcard) never made into classes.
     */
    exclude: string[];
  };
  /**
   * Timetable lessons as events in users' calendars ("Calendar Provisioning").
   */
  calendar: {
    /**
     * Write timetable events.
     */
    enabled: boolean;
    /**
     * Only the next N days are written.
     */
    windowDays: number;
    /**
     * Whose calendars get lessons.
     */
    users: 'all' | 'staff' | 'students' | 'listed';
    /**
     * People whose calendars get lessons when users: listed.
     */
    listed: string[];
    /**
     * People whose calendars are never written.
     */
    exclude: string[];
    /**
     * Event subject template.
     *
     * Tokens: {class}, {subject}, {room}, {period}, {teacher}; {token:N} keeps the first N characters, {token:-N} the last N.
     */
    subject: string;
    /**
     * Reminder before each lesson, in minutes; omit for none.
     */
    reminderMinutes?: number;
  };
  /**
   * Parents and guardians as the related contacts of each managed student's education profile (relatedContacts on /education/users), which Teams Parent Connection reads. Education tenants only. Absent: contacts are neither read from the MIS nor written. rollcall never creates accounts for parents.
   */
  guardians?: {
    /**
     * Which of the MIS's contacts become related contacts, in Graph's words (each source maps its own onto these). Contacts with other relationships are left out, and related contacts of other relationships that someone else set on a student are left as they are.
     *
     * @minItems 1
     *
     * Items: A relationship, as Graph names it.
     */
    relationships: [
      'parent' | 'guardian' | 'relative' | 'aide' | 'doctor' | 'child' | 'other',
      ...('parent' | 'guardian' | 'relative' | 'aide' | 'doctor' | 'child' | 'other')[]
    ];
    /**
     * Send contacts' mobile phone numbers (mobilePhone). Off by default: only names, e-mail addresses and relationships are written.
     */
    phones: boolean;
    /**
     * Which contacts are written with accessConsent: true (consented to see the student's data in Parent Connection).
     */
    consent: 'whenMisSays' | 'all' | 'none';
    /**
     * At most this many contacts per student, the MIS's first by priority. Omit for all of them.
     */
    maxPerStudent?: number;
  };
  /**
   * Limits past which a plan is blocked until approved (exit 3, nothing written).
   */
  safety: {
    maxSuspensions: Limit;
    maxDeletions: Limit1;
    maxEventDeletions: Limit2;
    maxMembershipRemovals: Limit3;
    maxGuardianRemovals: Limit4;
    maxSourceDrop: Limit5;
  };
  /**
   * What plans, PR comments and mails show.
   */
  report: {
    /**
     * How much personal data plans and PR comments show. A public repository never gets names.
     */
    personalData: 'masked' | 'full' | 'counts';
    /**
     * Address (or addresses) that get a summary mail after each apply and after every scheduled run (see summaryWhen).
     */
    summaryTo?: string | [string, ...string[]];
    /**
     * Mailbox that sends the summary mail (rollcall's app needs Mail.Send for it).
     */
    summaryFrom?: string;
    /**
     * When the summary mail goes out (after an apply, and after every scheduled run, whatever it did).
     */
    summaryWhen: 'always' | 'changes' | 'failures';
    /**
     * Where the Action keeps its journal of applied changes (the CLI always appends to .rollcall/journal/ beside this file).
     */
    journal: 'artifact' | 'branch';
  };
  /**
   * What a scheduled run does.
   */
  schedule: {
    /**
     * Whether a scheduled run applies its plan.
     */
    autoApply: 'withinLimits' | 'never';
  };
}
/**
 * Bromcom third-party user name. Secrets are never written in the file: write { env: NAME } and set that environment variable.
 */
export interface SecretRef {
  /**
   * Name of the environment variable that holds the secret: a name of your own. Names of the CI runner's and the machine's own variables (GITHUB_…, ACTIONS_…, RUNNER_…, INPUT_…, NODE_…, npm_…, PATH, proxies …) are refused.
   */
  env: string;
}
/**
 * Bromcom third-party password. Secrets are never written in the file: write { env: NAME } and set that environment variable.
 */
export interface SecretRef1 {
  /**
   * Name of the environment variable that holds the secret: a name of your own. Names of the CI runner's and the machine's own variables (GITHUB_…, ACTIONS_…, RUNNER_…, INPUT_…, NODE_…, npm_…, PATH, proxies …) are refused.
   */
  env: string;
}
/**
 * Client secret, for auth: client-secret. Secrets are never written in the file: write { env: NAME } and set that environment variable.
 */
export interface SecretRef2 {
  /**
   * Name of the environment variable that holds the secret: a name of your own. Names of the CI runner's and the machine's own variables (GITHUB_…, ACTIONS_…, RUNNER_…, INPUT_…, NODE_…, npm_…, PATH, proxies …) are refused.
   */
  env: string;
}
/**
 * Password of the certificate's private key, if it has one. Secrets are never written in the file: write { env: NAME } and set that environment variable.
 */
export interface SecretRef3 {
  /**
   * Name of the environment variable that holds the secret: a name of your own. Names of the CI runner's and the machine's own variables (GITHUB_…, ACTIONS_…, RUNNER_…, INPUT_…, NODE_…, npm_…, PATH, proxies …) are refused.
   */
  env: string;
}
/**
 * Accounts added to or kept out of a group on top of what the MIS says.
 */
export interface GroupExtra {
  /**
   * Addresses of accounts to add.
   */
  include: string[];
  /**
   * Addresses of accounts to keep out.
   */
  exclude: string[];
}
/**
 * Suspensions, against active managed accounts.
 */
export interface Limit {
  /**
   * Largest share allowed, in percent of the relevant total.
   */
  percent?: number;
  /**
   * Largest number allowed.
   */
  count?: number;
}
/**
 * Deletions of users, groups and classes, against managed users and groups. Calendar events are not counted here (see maxEventDeletions).
 */
export interface Limit1 {
  /**
   * Largest share allowed, in percent of the relevant total.
   */
  percent?: number;
  /**
   * Largest number allowed.
   */
  count?: number;
}
/**
 * Deletions of rollcall's calendar events (cancelled or moved lessons), against rollcall's events in the tenant. Generous by default: a timetable that vanishes is stopped, a cancelled class is not.
 */
export interface Limit2 {
  /**
   * Largest share allowed, in percent of the relevant total.
   */
  percent?: number;
  /**
   * Largest number allowed.
   */
  count?: number;
}
/**
 * Membership removals, against managed memberships.
 */
export interface Limit3 {
  /**
   * Largest share allowed, in percent of the relevant total.
   */
  percent?: number;
  /**
   * Largest number allowed.
   */
  count?: number;
}
/**
 * Guardians (related contacts) taken off students, in updates and removals, against the related contacts rollcall manages. A source that stops sending contacts is stopped here.
 */
export interface Limit4 {
  /**
   * Largest share allowed, in percent of the relevant total.
   */
  percent?: number;
  /**
   * Largest number allowed.
   */
  count?: number;
}
/**
 * How far MIS people in scope may fall below active managed accounts before suspensions stop.
 */
export interface Limit5 {
  /**
   * Largest share allowed, in percent of the relevant total.
   */
  percent?: number;
  /**
   * Largest number allowed.
   */
  count?: number;
}
