using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VqaAspire.Api.Export;

/// <summary>What a bundle's starter configs and README need to know about the export.</summary>
/// <param name="HasValidation">False when the run sampled no validation images: the configs then evaluate on nothing.</param>
public sealed record BundleFacts(string RunId, string BaseModel, IReadOnlyDictionary<string, int> Examples, int FewShot, bool HasValidation);

/// <summary>
/// The starter LoRA configs of a bundle for a base model the user names: LLaMA-Factory's training yaml, Axolotl's yaml
/// and a TRL script, with the chat template each trainer knows the model family by, and the bundle's README.
/// </summary>
public static partial class StarterConfigs
{
    public const string DefaultBaseModel = "Qwen/Qwen2.5-VL-7B-Instruct";

    /// <summary>The LoRA adapter name the README serves with vLLM and evaluates back in VqaAspire.</summary>
    public const string AdapterName = "vqa-lora";

    /// <summary>
    /// A Hugging Face model id (<c>owner/name</c>) or a plain name: letters, digits, <c>._-</c> and one slash. Nothing
    /// else reaches a yaml file or a script, so a name cannot break out of its line.
    /// </summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?$")]
    private static partial Regex BaseModelPattern();

    /// <summary>The problem with a base model name, in words, or null.</summary>
    public static string? BaseModelProblem(string baseModel) => BaseModelPattern().IsMatch(baseModel)
        ? null
        : $"'{baseModel}' is not a model id: use a Hugging Face id such as {DefaultBaseModel} (letters, digits, '.', '_', '-' and one '/').";

    /// <summary>
    /// LLaMA-Factory's <c>template</c> and Axolotl's <c>chat_template</c> for the families both document (Axolotl:
    /// docs/multimodal.qmd; LLaMA-Factory: its supported-models table). Null where the family is not one of those: the
    /// config then says to fill it in rather than guess.
    /// </summary>
    public static (string? LlamaFactory, string? Axolotl) Templates(string baseModel)
    {
        var name = baseModel.ToLowerInvariant();
        return name switch
        {
            _ when name.Contains("qwen3-vl", StringComparison.Ordinal) => ("qwen3_vl", "qwen2_vl"),
            _ when name.Contains("qwen2.5-vl", StringComparison.Ordinal) || name.Contains("qwen2-vl", StringComparison.Ordinal) => ("qwen2_vl", "qwen2_vl"),
            _ when name.Contains("gemma-3", StringComparison.Ordinal) => ("gemma3", "gemma3"),
            _ when name.Contains("llama-3.2", StringComparison.Ordinal) && name.Contains("vision", StringComparison.Ordinal) => ("mllama", "llama3_2_vision"),
            _ when name.Contains("llava-1.5", StringComparison.Ordinal) => ("llava", "llava"),
            _ when name.Contains("pixtral", StringComparison.Ordinal) => ("pixtral", "pixtral"),
            _ => (null, null),
        };
    }

    /// <summary>LLaMA-Factory's LoRA SFT yaml (its examples/train_lora layout), run from the bundle's root.</summary>
    public static string LlamaFactoryYaml(BundleFacts facts)
    {
        var (template, _) = Templates(facts.BaseModel);
        var text = new StringBuilder();
        text.AppendLine($"# LoRA SFT of {facts.BaseModel} on VqaAspire run {facts.RunId}. From the bundle's folder:");
        text.AppendLine("#   llamafactory-cli train llamafactory/lora_sft.yaml");
        text.AppendLine("### model");
        text.AppendLine($"model_name_or_path: {facts.BaseModel}");
        text.AppendLine("image_max_pixels: 262144");
        text.AppendLine("trust_remote_code: true");
        text.AppendLine();
        text.AppendLine("### method");
        text.AppendLine("stage: sft");
        text.AppendLine("do_train: true");
        text.AppendLine("finetuning_type: lora");
        text.AppendLine("lora_rank: 16");
        text.AppendLine("lora_target: all");
        text.AppendLine();
        text.AppendLine("### dataset");
        text.AppendLine("dataset_dir: .  # dataset_info.json and images/ are in the bundle's root");
        text.AppendLine("dataset: vqa_train");
        if (facts.HasValidation)
        {
            text.AppendLine("eval_dataset: vqa_validation");
        }

        text.AppendLine(template is null
            ? $"template: FILL_IN  # LLaMA-Factory's template name for {facts.BaseModel} (see its supported models table)"
            : $"template: {template}");
        text.AppendLine("cutoff_len: 8192  # the few-shot covers are in every example");
        text.AppendLine("mask_history: true  # learn the last answer only: the few-shot answers are part of the prompt");
        text.AppendLine("preprocessing_num_workers: 4");
        text.AppendLine();
        text.AppendLine("### output");
        text.AppendLine("output_dir: saves/vqa-lora");
        text.AppendLine("logging_steps: 10");
        text.AppendLine("save_steps: 500");
        text.AppendLine("plot_loss: true");
        text.AppendLine("overwrite_output_dir: true");
        text.AppendLine();
        text.AppendLine("### train");
        text.AppendLine("per_device_train_batch_size: 1");
        text.AppendLine("gradient_accumulation_steps: 8");
        text.AppendLine("learning_rate: 1.0e-4");
        text.AppendLine("num_train_epochs: 3.0");
        text.AppendLine("lr_scheduler_type: cosine");
        text.AppendLine("warmup_ratio: 0.1");
        text.AppendLine("bf16: true");
        if (facts.HasValidation)
        {
            text.AppendLine();
            text.AppendLine("### eval");
            text.AppendLine("per_device_eval_batch_size: 1");
            text.AppendLine("eval_strategy: steps");
            text.AppendLine("eval_steps: 100");
        }

        return text.ToString();
    }

    /// <summary>Axolotl's LoRA yaml with the multimodal settings docs/multimodal.qmd lists, run from the bundle's root.</summary>
    public static string AxolotlYaml(BundleFacts facts)
    {
        var (_, template) = Templates(facts.BaseModel);
        var text = new StringBuilder();
        text.AppendLine($"# LoRA SFT of {facts.BaseModel} on VqaAspire run {facts.RunId}. From the bundle's folder:");
        text.AppendLine("#   axolotl train axolotl/lora.yaml");
        text.AppendLine($"base_model: {facts.BaseModel}");
        text.AppendLine("processor_type: AutoProcessor");
        text.AppendLine(template is null
            ? $"# chat_template: set Axolotl's template for {facts.BaseModel} if docs/multimodal.qmd names one"
            : $"chat_template: {template}");
        text.AppendLine();
        text.AppendLine("skip_prepare_dataset: true");
        text.AppendLine("remove_unused_columns: false");
        text.AppendLine("sample_packing: false");
        text.AppendLine();
        text.AppendLine("datasets:");
        text.AppendLine("  - path: axolotl/train.jsonl");
        text.AppendLine("    ds_type: json");
        text.AppendLine("    type: chat_template");
        if (facts.HasValidation)
        {
            text.AppendLine("test_datasets:");
            text.AppendLine("  - path: axolotl/validation.jsonl");
            text.AppendLine("    ds_type: json");
            text.AppendLine("    type: chat_template");
            text.AppendLine("    split: train");
        }

        text.AppendLine();
        text.AppendLine("adapter: lora");
        text.AppendLine("lora_r: 16");
        text.AppendLine("lora_alpha: 32");
        text.AppendLine("lora_dropout: 0.05");
        text.AppendLine(@"lora_target_modules: 'model.language_model.layers.[\d]+.(mlp|cross_attn|self_attn).(up|down|gate|q|k|v|o)_proj'");
        text.AppendLine();
        text.AppendLine("sequence_len: 8192");
        text.AppendLine("micro_batch_size: 1");
        text.AppendLine("gradient_accumulation_steps: 8");
        text.AppendLine("num_epochs: 3");
        text.AppendLine("learning_rate: 0.0002");
        text.AppendLine("optimizer: adamw_torch_fused");
        text.AppendLine("lr_scheduler: cosine");
        text.AppendLine("warmup_ratio: 0.1");
        text.AppendLine("bf16: auto");
        text.AppendLine("gradient_checkpointing: true");
        text.AppendLine("output_dir: ./outputs/vqa-lora");
        return text.ToString();
    }

    /// <summary>A TRL SFT script on the parquet split (TRL's vision SFT: a processor, LoRA through peft).</summary>
    public static string TrlScript(BundleFacts facts)
    {
        var evaluation = facts.HasValidation ? "\"validation\": \"hf/validation.parquet\", " : "";
        return $$"""
            # LoRA SFT of {{facts.BaseModel}} on VqaAspire run {{facts.RunId}} with TRL (Unsloth reads the same dataset).
            # From the bundle's folder:  pip install trl peft datasets pillow  &&  python hf/train_trl.py
            import os
            from pathlib import Path

            from datasets import load_dataset
            from peft import LoraConfig
            from trl import SFTConfig, SFTTrainer

            # The images column holds paths relative to the bundle's folder.
            os.chdir(Path(__file__).resolve().parent.parent)

            dataset = load_dataset("parquet", data_files={"train": "hf/train.parquet", {{evaluation}}})

            trainer = SFTTrainer(
                model="{{facts.BaseModel}}",
                train_dataset=dataset["train"],
                eval_dataset={{(facts.HasValidation ? "dataset[\"validation\"]" : "None")}},
                args=SFTConfig(
                    output_dir="outputs/vqa-lora-trl",
                    max_length=None,  # do not cut image tokens
                    per_device_train_batch_size=1,
                    gradient_accumulation_steps=8,
                    num_train_epochs=3,
                    learning_rate=2e-4,
                    bf16=True,
                    gradient_checkpointing=True,
                    eval_strategy={{(facts.HasValidation ? "\"epoch\"" : "\"no\"")}},
                ),
                peft_config=LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, target_modules="all-linear", task_type="CAUSAL_LM"),
            )
            trainer.train()
            trainer.save_model()

            """;
    }

    /// <summary>The bundle's README: what is in it, how to train with each trainer, serve, and evaluate back in VqaAspire.</summary>
    public static string Readme(BundleFacts facts)
    {
        string Count(string split) => facts.Examples.TryGetValue(split, out var n) ? n.ToString(CultureInfo.InvariantCulture) : "0";
        return $$"""
            # VqaAspire run {{facts.RunId}}: open-weights bundle

            The run's prepared splits with their images as files, for LLaMA-Factory, Axolotl and TRL/Unsloth, and starter
            LoRA configs for **{{facts.BaseModel}}**. Every training example carries the run's system prompt and its
            {{facts.FewShot}} few-shot example(s) (covers included), as the run's JSONL does. The test split is not in any
            training file: it is in `eval/` and is scored back in VqaAspire.

            | Split | Examples |
            |---|---|
            | train | {{Count("train")}} |
            | validation | {{Count("validation")}} |
            | test (eval/ only) | {{Count("test")}} |

            ```
            images/                      every cover, named by its content's SHA-256
            dataset_info.json            LLaMA-Factory's dataset registry (vqa_train, vqa_validation)
            llamafactory/                train.json, validation.json (sharegpt, OpenAI roles, <image> placeholders), lora_sft.yaml
            axolotl/                     train.jsonl, validation.jsonl (chat_template messages, image parts by path), lora.yaml
            hf/                          train.parquet, validation.parquet (messages + images columns), train_trl.py
            eval/                        test.jsonl (questions with image paths, no answers), test.examples.jsonl (the truth)
            ```

            All paths are relative to this folder: run every command from here.

            ## Train

            - LLaMA-Factory: `llamafactory-cli train llamafactory/lora_sft.yaml` (adapter in `saves/vqa-lora`).
            - Axolotl: `axolotl train axolotl/lora.yaml` (adapter in `outputs/vqa-lora`).
            - TRL: `python hf/train_trl.py` (adapter in `outputs/vqa-lora-trl`). Unsloth loads the same parquet files.

            Check each config's chat template for your base model before a long run.

            ## Serve

            - vLLM, the base model with the adapter as a model of its own:
              `vllm serve {{facts.BaseModel}} --enable-lora --lora-modules {{AdapterName}}=saves/vqa-lora --max-lora-rank 16`
              serves an OpenAI-compatible API at `http://localhost:8000/v1` with models `{{facts.BaseModel}}` and `{{AdapterName}}`.
            - Ollama: merge the adapter into the base weights first (`llamafactory-cli export` with
              `adapter_name_or_path`), import the merged model as Ollama's import guide describes for its architecture, and
              use `http://localhost:11434/v1`.

            ## Evaluate back in VqaAspire

            Start an evaluation of run {{facts.RunId}} with the served model beside any other, for example:

            ```
            POST /api/runs/{{facts.RunId}}/evaluations
            {"models": [{"name": "base", "model": "gpt-4o-2024-08-06"},
                        {"name": "open-weights", "model": "{{AdapterName}}", "endpoint": "http://gpu-box:8000/v1"}]}
            ```

            Both models answer the same test questions with the same system prompt and few-shot examples, and are scored
            by the same rules and judge.

            """;
    }
}
