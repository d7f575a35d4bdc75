/** Errors the domain raises. Mapped once to HTTP (409 / 404) and once to CLI exit codes. */

/**
 * A rule of procedure or of the domain is broken. `rule` is a stable kebab-case slug
 * (e.g. `quorum`, `seat-category-full`, `no-patron-in-office`) that the API puts into the problem `type`.
 */
export class DomainRuleViolated extends Error {
  override readonly name = 'DomainRuleViolated';
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** Something a command refers to does not exist (a statement, a member, an agenda item, a stream). */
export class NotFound extends Error {
  override readonly name = 'NotFound';
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} ${id} not found`);
  }
}
