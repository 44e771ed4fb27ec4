// The emulator's folders are namespaces; every part may use the others (it is one small program).
global using EnOS.Streaming.Emulator.Admin;
global using EnOS.Streaming.Emulator.Api;
global using EnOS.Streaming.Emulator.Faults;
global using EnOS.Streaming.Emulator.Gateway;
global using EnOS.Streaming.Emulator.Store;
global using EnOS.Streaming.Emulator.Transitions;
