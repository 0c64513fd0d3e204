namespace VqaAspire.OpenAIEmulator;

public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>When set, only this bearer key is accepted; otherwise any bearer key is (as a local tool should).</summary>
    public string? ApiKey { get; set; }

    /// <summary>When set, <c>/admin</c> answers only requests carrying it in <c>X-Admin-Key</c>; the AppHost sets it when published.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Where files, uploads, jobs and batches are kept so they survive a restart. Default: <c>.data/emulator</c> under the content root.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The fine-tuning clock: how long each phase of a job lasts.</summary>
    public FineTuningClockOptions FineTuning { get; set; } = new();

    /// <summary>How long a batch waits in each phase before it is processed.</summary>
    public int BatchPhaseMilliseconds { get; set; } = 200;

    /// <summary>The Azure OpenAI surfaces: processing and provisioning delays, the one account, its seeded deployments.</summary>
    public Azure.AzureOptions Azure { get; set; } = new();

    /// <summary>Faults injected from the start; <c>POST /admin/faults</c> changes them at run time.</summary>
    public Faults.FaultSettings Faults { get; set; } = new();

    /// <summary>Marks every response as emulated, so dashboards never mistake its numbers for a real model's.</summary>
    public const string SystemFingerprint = "fp_vqaaspire_emulator";

    /// <summary>Response header set on everything the emulator answers.</summary>
    public const string EmulatedHeader = "x-vqaaspire-emulated";

    public const string Owner = "vqaaspire-emulator";
}

/// <summary>
/// A job spends <see cref="ValidatingMilliseconds"/> validating its files, <see cref="QueuedMilliseconds"/> queued,
/// then runs one step per <see cref="StepMilliseconds"/>. Steps = ceil(examples x epochs / batch size), capped at
/// <see cref="MaxSteps"/>. Defaults finish a 10-example, 3-epoch job in about 4 s.
/// </summary>
public sealed class FineTuningClockOptions
{
    public int ValidatingMilliseconds { get; set; } = 500;

    public int QueuedMilliseconds { get; set; } = 500;

    public int StepMilliseconds { get; set; } = 100;

    public int MaxSteps { get; set; } = 30;

    /// <summary>How often the background clock looks at running jobs.</summary>
    public int TickMilliseconds { get; set; } = 50;
}
