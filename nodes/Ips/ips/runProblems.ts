// The failed and warned files of an ended run, as Wait for Completion and the trigger output them:
// at most 100 listed (newest first), all counted; a clean run costs no request.
import { IpsClient } from './IpsClient';
import { RunStatus } from './runs';

export const MAX_PROBLEMS_PER_RUN = 100;

export interface RunProblemList {
	problemCount: number;
	problems: Array<{ assetName: string | null; severity: string; logType: string; message: string }>;
}

export async function problemsOfRun(
	client: IpsClient,
	companyHandle: string,
	run: { status: RunStatus | 'running'; runHandle: string | null },
): Promise<RunProblemList> {
	if (run.status === 'succeeded' || !run.runHandle) return { problemCount: 0, problems: [] };
	const { problems, total } = await client.getProblems(companyHandle, run.runHandle, {
		max: MAX_PROBLEMS_PER_RUN,
		pageRows: MAX_PROBLEMS_PER_RUN,
	});
	return {
		problemCount: total,
		problems: problems.map((problem) => ({
			assetName: problem.assetName || null,
			severity: problem.severity,
			logType: problem.logType,
			message: problem.logMessage,
		})),
	};
}
