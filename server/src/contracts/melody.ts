import { z } from "zod";

/**
 * A sampled melody as the sidecar reports it and the API stores it (Sample.notes): the contract between the two,
 * validated at both ends. Pitches are in the models' vocabulary; steps are 16ths.
 */
export const MAX_MELODY_STEPS = 4096;

/** The pitch range of the models' vocabulary: C3 to C6, three octaves and one note. */
export const LOWEST_PITCH = 48;
export const HIGHEST_PITCH = 84;

export const sampledMelodySchema = z
  .object({
    notes: z
      .array(
        z.object({
          pitch: z.number().int().min(LOWEST_PITCH).max(HIGHEST_PITCH),
          start: z.number().int().min(0),
          duration: z.number().int().min(1),
        }),
      )
      .max(MAX_MELODY_STEPS),
    lengthSteps: z.number().int().min(0).max(MAX_MELODY_STEPS),
    meter: z.object({ beatsPerBar: z.number().int().min(1).max(32), stepsPerBeat: z.number().int().min(1).max(32) }),
  })
  .refine((melody) => melody.notes.every((note) => note.start + note.duration <= melody.lengthSteps), "every note must end within lengthSteps");

export type SampledMelody = z.infer<typeof sampledMelodySchema>;
