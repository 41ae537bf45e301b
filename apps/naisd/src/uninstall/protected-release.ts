// Releases the agent never uninstalls: itself, the experimental agent, and a missing name (uninstalling them would cut the environment off from Fasit).
export const PROTECTED_RELEASES: readonly string[] = ['naisd', 'fasitd'];

/** Why an uninstall of `name` is refused, or null when it may go ahead. */
export function uninstallRefusal(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'refusing to uninstall a release without a name';
  if (PROTECTED_RELEASES.includes(trimmed)) return `refusing to uninstall protected release "${trimmed}"`;
  return null;
}
