using VqaAspire.OpenAIEmulator;

// A local, deterministic stand-in for the OpenAI API: the offline default provider and the
// contract double the pipeline's tests run against. Everything is set up in EmulatorApp.
EmulatorApp.Build(args).Run();
