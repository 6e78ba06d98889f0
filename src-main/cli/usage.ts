export const USAGE = `Usage:
  parley --profile DIR --server URL register USERNAME     password from PARLEY_PASSWORD or a prompt
  parley --profile DIR send USERNAME TEXT                   prints the message id once the server has stored it
  parley --profile DIR send USERNAME --stdin                one message per line of standard input, in order
  parley --profile DIR receive --json [--timeout SECONDS]   one JSON object per message per line
  parley --profile DIR --server URL link-request [--name NAME]
                                                            prints a link code on one line, waits until a device of
                                                            the account links it (link CODE), then exits 0
  parley --profile DIR link CODE                            on a registered profile: links the device waiting behind CODE
  parley --profile DIR --server URL start-fresh USERNAME [--yes]
                                                            no device of the account left: names the devices it is
                                                            signed in on and changes nothing; with --yes starts the
                                                            account over on this profile (new keys, every other
                                                            device ended, the archive deleted)
  parley --profile DIR devices [--json]                     this account's devices, one per line, this device first
  parley --profile DIR devices terminate DEVICE_ID          ends that device's session; it deletes its keys and messages

Options:
  --profile DIR       the profile folder (keys, sessions, queue); created by register
  --server URL        the server, at register (later commands read it from the profile)
  --json              receive, devices: print JSON lines instead of text
  --timeout SECONDS   receive: after catching up, wait this long for more (default 0)
                      send: how long to wait for the server to store the message (default 30;
                      with --stdin, the longest wait between two confirmations)
  --stdin             send: read the messages from standard input, one per line (empty lines skipped)
  --receipts          receive: also print delivery and read receipts
  --device-name NAME  register, start-fresh: how this device is listed in your sessions (default "Parley CLI")
  --yes               start-fresh: yes, delete the history and start the account over
  --name NAME         link-request: the same, for the device being linked
  --insecure          allow http:// to a server on another machine (default: only https://,
                      or http:// to this machine: 127.0.0.0/8, ::1, localhost); anyone on the
                      network can then read and change the traffic

Environment:
  PARLEY_PASSPHRASE   unlocks the profile's vault (asked for when unset and a terminal is attached)
  PARLEY_PASSWORD     the account password at register and start-fresh
  PARLEY_LOG_LEVEL    debug, info, warn, error or silent (default silent); logs go to stderr`;
