// The client's namespaces follow its folders; the cmdlets use several of them throughout, so
// they are imported once here rather than in each command file.
global using EnOS.Streaming.Definitions;
global using EnOS.Streaming.Journal;
global using EnOS.Streaming.Logging;
global using EnOS.Streaming.Model;
