/** The app's mark: a speech bubble with a keyhole. Decorative; the text beside it names the app. */
export function Logo({ size = 48 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <path
        d="M24 4C12.4 4 3 12.3 3 22.5c0 5.6 2.8 10.6 7.3 14L8.5 44l8.6-4.5c2.2.6 4.5.9 6.9.9 11.6 0 21-8.3 21-18.5S35.6 4 24 4z"
        fill="var(--accent)"
      />
      <circle cx="24" cy="19.5" r="4.5" fill="var(--on-accent)" />
      <path d="M21.6 22.5h4.8l1.4 8.5h-7.6z" fill="var(--on-accent)" />
    </svg>
  );
}
