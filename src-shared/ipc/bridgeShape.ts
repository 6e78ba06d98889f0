import type { BRIDGE_SERVICES, ServiceName } from './bridge';

type Services = typeof BRIDGE_SERVICES;

/** The names a service's client has: its methods and its events, nothing of their schemas. */
export type ServiceShape<S extends ServiceName> = {
  readonly methods: readonly (keyof Services[S]['methods'] & string)[];
  readonly events: Services[S]['events'];
};

/**
 * The names of every bridge method and event, without the schemas: what a shell's client side
 * (buildParleyBridge) needs to build `window.parley`. The web shell's page bridge is a classic
 * script that blocks the first paint, and the descriptors' zod schemas would put the whole of zod
 * and every schema in front of it; main, which parses every call, keeps using BRIDGE_SERVICES.
 * Its type allows only names the descriptors have, and bridgeShape.test.ts checks that it lists
 * every one, so the two cannot drift apart.
 */
export const BRIDGE_SHAPE: { readonly [S in ServiceName]: ServiceShape<S> } = {
  account: {
    methods: ['getState', 'register', 'unlock', 'historyKey', 'linkRequirements', 'startLink', 'cancelLink', 'devicesOfAccount', 'startFresh'],
    events: ['onDidChangeState', 'onDidChangeLink'],
  },
  messaging: {
    methods: [
      'sendText',
      'readInbox',
      'confirmInbox',
      'sendReadReceipts',
      'sendTyping',
      'startSecretChat',
      'sendSecretText',
      'deleteSecretChat',
      'getConnectionStatus',
      'getCatchUpProgress',
    ],
    events: ['onDidReceive', 'onDidChangeMessageStatus', 'onDidChangeConnection', 'onDidChangeTyping', 'onDidChangeCatchUp'],
  },
  contacts: {
    methods: ['findByUsername', 'findByPhone', 'usernameOf', 'importFile', 'importedCount', 'deleteSynced'],
    events: [],
  },
  devices: {
    methods: ['list', 'renameThisDevice', 'terminate', 'terminateOthers', 'inspectLinkCode', 'link'],
    events: [],
  },
  archive: {
    methods: ['getSettings', 'setEnabled', 'getRestoreProgress'],
    events: ['onDidChangeRestore'],
  },
  preferences: {
    methods: ['get', 'change'],
    events: ['onDidChange'],
  },
  profile: {
    methods: ['get', 'save', 'getAvatar', 'setAvatar', 'removeAvatar', 'changeUsername'],
    events: ['onDidChange', 'onDidChangeAvatar'],
  },
  phone: {
    methods: ['get', 'sendCode', 'verify', 'setDiscoverable', 'remove'],
    events: [],
  },
};
