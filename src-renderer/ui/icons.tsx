/** Inline icons (no icon font, no network). All decorative: their buttons carry the names. */
type IconProps = { size?: number; className?: string };

const frame = (size: number, className: string | undefined) => ({
  width: size,
  height: size,
  viewBox: '0 0 24 24',
  className: ['icon', className].filter(Boolean).join(' '),
  'aria-hidden': true,
  focusable: false,
});

export function SendIcon({ size = 22, className }: IconProps) {
  return (
    <svg {...frame(size, className)}>
      <path d="M3.4 20.4 21.9 12 3.4 3.6l.1 6.5L16 12 3.5 13.9z" fill="currentColor" />
    </svg>
  );
}

export function SettingsIcon({ size = 20, className }: IconProps) {
  return (
    <svg {...frame(size, className)}>
      <path
        fill="currentColor"
        d="M19.4 13a7.6 7.6 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.3 7.3 0 0 0-1.7-1L15 3.3h-4l-.4 2.6a7.3 7.3 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.6 7.6 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7.3 7.3 0 0 0 1.7 1l.4 2.6h4l.4-2.6a7.3 7.3 0 0 0 1.7-1l2.5 1 2-3.5zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z"
        transform="translate(-1 0)"
      />
    </svg>
  );
}

export function SearchIcon({ size = 18, className }: IconProps) {
  return (
    <svg {...frame(size, className)}>
      <path
        fill="currentColor"
        d="M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10z"
      />
    </svg>
  );
}

export function CloseIcon({ size = 18, className }: IconProps) {
  return (
    <svg {...frame(size, className)}>
      <path fill="currentColor" d="m6.4 5 5.6 5.6L17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z" />
    </svg>
  );
}

export function ClockIcon({ size = 14, className }: IconProps) {
  return (
    <svg {...frame(size, className)}>
      <path fill="none" stroke="currentColor" strokeWidth="2" d="M12 4a8 8 0 1 1 0 16 8 8 0 0 1 0-16zm0 3.5V12l3 2" />
    </svg>
  );
}

export function CheckIcon({ size = 16, className }: IconProps) {
  return (
    <svg {...frame(size, className)}>
      <path fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" d="m4.5 12.5 4.5 4.5 10-10" />
    </svg>
  );
}

export function DoubleCheckIcon({ size = 16, className }: IconProps) {
  return (
    <svg {...frame(size, className)} width={(size * 7) / 6} viewBox="0 0 28 24">
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="2.2"
        strokeLinecap="round"
        strokeLinejoin="round"
        d="m2.5 12.5 4.5 4.5 10-10M13 16.5l.5.5 10-10"
      />
    </svg>
  );
}

export function AlertIcon({ size = 16, className }: IconProps) {
  return (
    <svg {...frame(size, className)}>
      <path fill="currentColor" d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm-1 5v7h2V7zm0 9v2h2v-2z" />
    </svg>
  );
}

export function BackIcon({ size = 20, className }: IconProps) {
  return (
    <svg {...frame(size, className)}>
      <path fill="currentColor" d="M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20z" />
    </svg>
  );
}

export function DeviceIcon({ size = 22, className }: IconProps) {
  return (
    <svg {...frame(size, className)}>
      <path fill="currentColor" d="M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1h-6v2h3v2H7v-2h3v-2H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm1 2v8h14V7z" />
    </svg>
  );
}

export function LockIcon({ size = 14, className }: IconProps) {
  return (
    <svg {...frame(size, className)}>
      <path fill="currentColor" d="M12 2a5 5 0 0 1 5 5v3h1a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V11a1 1 0 0 1 1-1h1V7a5 5 0 0 1 5-5zm0 2a3 3 0 0 0-3 3v3h6V7a3 3 0 0 0-3-3zm0 9a2 2 0 0 0-1 3.73V19h2v-2.27A2 2 0 0 0 12 13z" />
    </svg>
  );
}
