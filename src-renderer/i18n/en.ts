/**
 * English, the first language. Every string the user sees comes from here through a key
 * (CONVENTIONS habit 14). Some are accessible names QA and the README rely on: those are marked
 * "exact" and must not change without the README and the e2e page objects.
 */
export const en = {
  app: {
    name: 'Parley',
    titleWithUnread: '({{count}}) Parley',
    starting: 'Starting Parley…',
    unavailable: 'Parley could not reach its background service',
    retry: 'Try again',
    partMissing: 'Part of Parley could not be loaded', // exact
    partMissingDetail: 'It may have been updated while it was open. Reloading the window loads it again.',
    reload: 'Reload', // exact
    noBridgeTitle: 'Parley cannot start here',
    noBridgeDetail:
      'This page needs the Parley app around it (the desktop app or the web shell), which provides the connection to your device’s keys. Missing: {{missing}}.',
  },
  account: {
    signUpTitle: 'Create your account',
    signUpLead: 'Pick a username people can find you by, and a password. No phone number, no email.',
    signInTitle: 'Welcome back',
    signInLead: 'Enter the password that unlocks @{{username}} on this device.',
    footnote: 'Messages are end-to-end encrypted. Your history is stored encrypted on this device.',
    sessionEnded: 'Your session was ended from another device. This device’s keys and messages were deleted from it.', // exact: contains "session was ended" 
    createAccount: 'Create account', // exact
    haveAccount: 'Already use Parley on another device?',
    linkExisting: 'Link to an existing account', // exact
    signIn: 'Sign in', // exact
    username: {
      label: 'Username', // exact
      hint: '{{min}}–{{max}} letters, digits or underscores, starting with a letter.',
      required: 'Choose a username.',
      tooShort_one: 'A username has at least {{count}} character.',
      tooShort_other: 'A username has at least {{count}} characters.',
      tooLong_one: 'A username has at most {{count}} character.',
      tooLong_other: 'A username has at most {{count}} characters.',
      invalid: 'Use only letters, digits and underscores, and start with a letter.',
    },
    password: {
      label: 'Password', // exact
      hint: 'At least {{min}} characters. It cannot be recovered, so keep it safe.',
      required: 'Enter your password.',
      tooShort_one: 'A password has at least {{count}} character.',
      tooShort_other: 'A password has at least {{count}} characters.',
      tooLong_one: 'A password has at most {{count}} character.',
      tooLong_other: 'A password has at most {{count}} characters.',
      invalid: 'That password cannot be used.',
    },
  },
  errors: {
    username_taken: 'That username is taken. Try another one.',
    wrong_password: 'Wrong password. Try again.',
    unreachable: 'The server cannot be reached. Check your connection and try again.',
    profile_in_use: 'This profile is open in another Parley window.',
    already_signed_in: 'You are already signed in.',
    not_signed_in: 'You are signed out. Sign in again.',
    not_found: 'Not found.',
    too_long: 'That is too long.',
    withMessage: 'Something went wrong: {{message}}',
  },
  session: {
    opening: 'Opening your history…',
    failedTitle: 'Your history could not be opened',
    wrongKey: 'The history on this device was made with another key. It has not been changed.',
    openFailed: 'Reason: {{reason}}. Restart Parley to try again.',
  },
  chats: {
    title: 'Chats',
    paneName: 'Chats and search',
    listName: 'Chats', // exact
    emptyTitle: 'No chats yet',
    emptyHint: 'Type @ and a username in Search to find someone.',
    unknownPerson: 'Unknown ({{id}})',
    youPrefix: 'You: ',
    draftPrefix: 'Draft: ',
    joined: 'Joined Parley',
    noMessages: 'No messages yet',
    unread_one: 'unread message',
    unread_other: 'unread messages',
    catchUpName: 'Receiving messages', // exact: the status region while queued messages arrive
    catchUpProgress: 'Receiving {{received}} of {{total}}',
    catchUpBar: 'Messages received', // exact: its progress bar
    restoreName: 'Restoring history', // exact: the status region while a linked device restores the archive
    restoreProgress: 'Restoring your history from the archive: {{restored}} of {{total}}',
    restoreBar: 'History restored', // exact: its progress bar
  },
  conversation: {
    regionName: 'Conversation with {{name}}',
    logName: 'Messages', // exact
    typing: 'typing…',
    you: 'You',
    empty: 'This is the start of your conversation with {{name}}. Say hello!',
    notSent: 'Not sent. It stays queued and is sent when the server accepts it.',
    announceMessage: '{{name}}: {{text}}',
    noneTitle: 'Pick a chat',
    noneHint: 'Choose a chat on the left, or press {{shortcut}} and type @username to find someone.',
    identityChangedName: 'Safety number changed', // exact
    identityChanged: 'Your safety number with {{name}} changed {{day}}: they started over with new keys, on a new device. If you did not expect it, check with them another way before you share anything sensitive.',
    identityChangedDismiss: 'Dismiss', // exact
  },
  secret: {
    start: 'Start secret chat', // exact
    tag: 'Secret chat', // exact: in the chat's list item and header
    headerNote: 'Only on this device and one device of theirs',
    delete: 'Delete secret chat',
    confirmDelete: 'Delete this secret chat here and on the other device? Its messages cannot be brought back.',
    confirm: 'Delete',
    cancel: 'Cancel',
  },
  contactName: {
    rename: 'Rename contact', // exact
    label: 'Saved name', // exact
    hint: 'Only you see this name, on your devices. Leave it empty to show the name they chose.',
    save: 'Save', // exact
    cancel: 'Cancel', // exact
  },
  blocking: {
    block: 'Block', // exact
    unblock: 'Unblock', // exact
    blockHint: 'Block {{name}}: their messages and calls no longer reach you',
    unblockHint: 'Unblock {{name}}',
    composerNote: 'You blocked {{name}}. Unblock them to write to them; what they sent while blocked never reached you.',
    listName: 'Blocked users', // exact
    none: 'You have blocked nobody.',
    lead: 'Blocked people cannot message or call you. The list is kept on your devices only, encrypted between them; the server never learns it.',
  },
  composer: {
    inputName: 'Message', // exact
    placeholder: 'Message {{name}}',
    send: 'Send', // exact
    sendHint: 'Send (Enter)',
    failed: 'Not sent: {{reason}}',
    charactersLeft_one: '{{count}} character left',
    charactersLeft_other: '{{count}} characters left',
    overLimit_one: '{{count}} character over the limit',
    overLimit_other: '{{count}} characters over the limit',
  },
  status: {
    pending: 'Sending',
    sent: 'Sent',
    delivered: 'Delivered',
    read: 'Read',
    failed: 'Not sent',
  },
  dates: {
    today: 'Today',
    yesterday: 'Yesterday',
  },
  search: {
    inputName: 'Search', // exact
    placeholder: 'Search messages, @name, +phone',
    clear: 'Clear search',
    peopleHint: 'Type a username after @ to find someone.',
    lookingFor: 'Looking for @{{username}}…',
    nobody: 'No one has the username @{{username}}.',
    phoneHint: 'Type the whole phone number with its country code to find someone by it.',
    lookingForNumber: 'Looking for {{number}}…',
    nobodyByNumber: 'Nobody can be found by {{number}}.',
    peopleHeading: 'People',
    frequentHeading: 'Frequent contacts',
    startChat: 'Start chat',
    searching: 'Searching…',
    noMessages: 'No messages with “{{query}}”.',
    messagesHeading_one: '{{count}} message',
    messagesHeading_other: '{{count}} messages',
    messagesListName: 'Search results',
  },
  settings: {
    open: 'Settings', // exact
    openHint: 'Settings (Ctrl+,)',
    title: 'Settings',
    close: 'Close settings',
    account: 'Account',
    theme: 'Theme',
    themes: {
      system: 'System',
      light: 'Light',
      dark: 'Dark',
    },
    themeNote: 'System follows your operating system’s light or dark mode.',
    shortcuts: 'Keyboard shortcuts',
    history: 'History',
    sectionsName: 'Settings sections',
    sections: {
      profile: 'Edit profile', // exact
      privacy: 'Privacy and security', // exact
      sessions: 'Active sessions', // exact
      data: 'Data and storage', // exact
      appearance: 'Appearance', // exact
      shortcuts: 'Shortcuts', // exact
    },
    titles: {
      profile: 'Profile',
      privacy: 'Privacy and security',
      data: 'Data and storage',
      appearance: 'Appearance',
      shortcuts: 'Keyboard shortcuts',
    },
  },
  profile: {
    note: 'People you write to see your display name and bio. They are end-to-end encrypted: the server keeps them sealed with a key only your devices and those people hold.',
    displayName: 'Display name', // exact
    username: 'Username', // exact
    usernameNote: 'Your @username is how people find you. When you change it, the old one is free for anyone to take, and the people you write to see the new one.',
    bio: 'Bio', // exact
    save: 'Save profile', // exact
    saved: 'Saved. The people you write to will see it.',
    chooseAvatar: 'Choose avatar', // exact
    removeAvatar: 'Remove avatar', // exact
    avatarNote: 'A picture of at most 10 MB (PNG, JPEG, WebP, GIF, AVIF). It is cropped to a square on this device and sent without its metadata, sealed with a key only the people your privacy settings allow receive.',
    avatarSaving: 'Sealing your avatar…',
    avatarSaved: 'Your avatar is set.',
    avatarRemoved: 'Your avatar is removed.',
    avatarTooLarge: 'That file is larger than 10 MB. Pick a smaller picture.',
  },
  privacy: {
    suggestFrequent: 'Suggest frequent contacts', // exact
    suggestFrequentNote: 'The people you write to most come first in Search. The ranking is made and kept on this device only; switching this off deletes it.',
    avatarVisibleTo: 'Avatar visible to', // exact
    avatarVisibleToNote: 'Your devices give the key to your avatar only to these people: everyone you write to, your contacts, or nobody. When someone is left out, the key changes and they lose the picture.',
    whoCanCall: 'Who can call me', // exact
    whoCanCallNote: 'Calls are coming to Parley: your devices will ring only for these people. The choice is kept on your devices and synced between them end to end.',
    audiences: {
      everyone: 'Everyone', // exact
      contacts: 'My contacts', // exact
      nobody: 'Nobody', // exact
    },
  },
  phone: {
    title: 'Phone number',
    number: 'Phone number', // exact
    numberHint: 'Optional. With its country code, e.g. +44 20 7946 0958. The server keeps it encrypted and never shows it to anyone.',
    sendCode: 'Send code', // exact
    codeSent: 'A six-digit code is on its way to {{number}}.',
    code: 'Code', // exact
    verify: 'Verify', // exact
    otherNumber: 'Use another number',
    remove: 'Remove phone number', // exact
    findMe: 'Find me by my phone number', // exact
    findMeNote: 'People who have your number can find you by it in Search. Switched off, a search for it finds nobody.',
    findMeNoNumber: 'Add a phone number first. Without one, nobody can find you by a number.',
  },
  contactImport: {
    title: 'Contacts',
    note: 'Parley never reads your address book. Import a vCard or CSV file instead: of each entry only the number and the first and last name are kept. The numbers are synced to the server as keyed hashes only, so it can tell you who is on Parley.',
    import: 'Import contacts', // exact
    deleteSynced: 'Delete synced contacts', // exact
    imported_one: 'Imported {{count}} contact; {{onParley}} on Parley; {{skipped}} skipped (no number with a country code).',
    imported_other: 'Imported {{count}} contacts; {{onParley}} on Parley; {{skipped}} skipped (no number with a country code).',
    kept_one: '{{count}} imported contact is synced.',
    kept_other: '{{count}} imported contacts are synced.',
    deleted: 'Your synced contacts are deleted from the server and this device.',
    tooLarge: 'That file is larger than 2 MB.',
  },
  contacts: {
    add: 'Add to contacts', // exact
    remove: 'Remove from contacts', // exact
  },
  archive: {
    keep: 'Keep an encrypted archive on the server', // exact
    note: 'Your devices keep a copy of your chats on the server, encrypted with a key only they hold, so a device you link shows your history. Switching it off deletes that copy for all your devices.',
    confirmOff: 'Delete the archive on the server? Devices you link from now on will start without your history.',
    confirm: 'Delete archive',
    cancel: 'Keep it',
  },
  noDevice: {
    lostDevices: 'No device of yours at hand?',
    open: 'Sign in with your password', // exact
    title: 'Sign in with your password',
    lead: 'Your password proves the account is yours. Your messages are another matter: only your devices hold the keys that read them.',
    continue: 'Continue', // exact
    wrongPassword: 'That username and password do not match an account.',
    historyTitle: 'Your history stays on your devices', // exact
    historyLead: 'Your chats are end-to-end encrypted, and the archive on the server is sealed with a key only your devices hold. Without one of them, this computer cannot read your history.',
    stillSignedIn: '@{{username}} is still signed in on', // exact: names the list
    linkAdvice: 'To keep your history, open Parley on one of them, go to Settings → Active sessions → Link a device, and link this computer.',
    linkInstead: 'Link this device instead', // exact
    noneLeft: 'None of them left?',
    startFresh: 'Start fresh', // exact
    confirm: 'Start fresh as @{{username}}? The encrypted archive on the server is deleted, every other device is signed out and wiped, and your chats and contacts do not come back. You get new keys: your contacts will see that your safety number changed.',
    confirmButton: 'Delete history and start fresh', // exact
    cancel: 'Cancel', // exact
  },
  link: {
    title: 'Link to an existing account',
    lead: 'This device joins an account you already use elsewhere, with its own keys.',
    password: 'Password for this device',
    passwordHint: 'At least {{min}} characters. It locks Parley on this device only; it is not sent anywhere.',
    showCode: 'Show link code',
    back: 'Back',
    waitingLead: 'On a device where you are signed in, open Settings → Active sessions → Link a device, and paste or scan this code.',
    qr: 'Link code QR', // exact
    code: 'Link code', // exact
    copy: 'Copy code',
    copied: 'Copied',
    waiting_one: 'Waiting for your other device… The code works for {{count}} more minute.',
    waiting_other: 'Waiting for your other device… The code works for {{count}} more minutes.',
    cancel: 'Cancel',
    again: 'Make a new code',
    preparing: 'Making a link code…',
  },
  devices: {
    open: 'Active sessions', // exact
    title: 'Active sessions', // exact
    back: 'Back to Settings',
    lead: 'The devices signed in to your account. Terminating a session signs that device out at once and deletes its keys and messages from it.',
    loading: 'Loading your sessions…',
    thisDevice: 'This device', // exact
    terminate: 'Terminate', // exact
    terminateAll: 'Terminate all other sessions', // exact
    confirm: 'Confirm', // exact
    cancel: 'Cancel',
    confirmTerminate: 'End the session on “{{name}}”? It is signed out at once, and its keys and messages are deleted from it.',
    confirmTerminateAll_one: 'End the session on the other device? It is signed out at once, and its keys and messages are deleted from it.',
    confirmTerminateAll_other: 'End the sessions on all {{count}} other devices? They are signed out at once, and their keys and messages are deleted from them.',
    terminated: 'Ended the session on “{{name}}”.',
    terminatedAll: 'Ended every other session.',
    noOthers: 'No other device is signed in to your account.',
    linkDevice: 'Link a device', // exact
    linkCode: 'Link code', // exact
    link: 'Link', // exact
    linkHint: 'On the new device, choose “Link to an existing account” and copy the code it shows.',
    linkCodeEmpty: 'Paste the code the new device shows.',
    confirmLink: 'Link “{{name}}” ({{platform}}) to your account? It will read and send your messages as you. Link only a device you are holding.',
    linked: 'Linked “{{name}}”. It finishes setting up on its own.',
    rename: 'Rename',
    renameLabel: 'Name of this device',
    save: 'Save',
    nameEmpty: 'Give this device a name.',
    nameInvalid: 'A device name cannot hold control characters.',
    platforms: {
      linux: 'Linux',
      macos: 'macOS',
      windows: 'Windows',
      other: 'Unknown system',
    },
    unknownVersion: 'unknown version',
    added: 'Added {{date}}',
    lastActive: 'active {{date}}',
    today: 'today',
    yesterday: 'yesterday',
  },
  shortcuts: {
    focusSearch: 'Search',
    nextChat: 'Next chat',
    previousChat: 'Previous chat',
    focusComposer: 'Write a message',
    openSettings: 'Settings',
    send: 'Send the message',
    newLine: 'New line in a message',
  },
  connection: {
    connecting: 'Connecting… Messages you send wait and go out once connected.',
    closed: 'Offline. Messages you send wait and go out once connected.',
  },
  problem: {
    inbox: 'New messages could not be saved yet; Parley will try again.',
    history: 'Your history could not be updated; Parley will try again.',
    viewTitle: 'This conversation could not be shown',
    viewHint: 'Your messages are safe. Try again, or restart Parley.',
  },
} as const;
