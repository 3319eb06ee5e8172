// Job → Publish (submitJob with a publish job): one job per item under a unique name, so its run is
// found exactly; the publish guard first; optionally waits for the run to end.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { EmailSetting, PublishTarget, PublishType, uniqueJobName } from '../../ips/submitJob';
import { ItemPhase, jobRunFailed, toItemError } from '../../n8n/errors';
import { handleOf } from '../../n8n/handles';
import { runPerItem } from '../../n8n/perItem';
import { withField } from '../../n8n/withField';
import { companyField } from '../common.fields';
import { withProblems, withRunsLeftGoing } from '../scheduledJob/runNow.operation';
import {
	commonOptions,
	emailSettingField,
	publishGuard,
	publishTypeOptions,
	setUpSubmit,
	startTimeOf,
	startTimeOption,
	submitErrorContext,
	submitFields,
	submitOnce,
} from './submit';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['publish'] } },
	[
		companyField,
		{
			displayName: 'Publish To',
			name: 'publishTarget',
			type: 'options',
			default: 'imageServing',
			options: [
				{ name: 'Image Serving', value: 'imageServing' },
				{ name: 'Image Rendering', value: 'imageRendering' },
				{ name: 'Video', value: 'video' },
			],
			description: 'Which publish to submit',
		},
		{
			displayName: 'Publish Type',
			name: 'publishType',
			type: 'options',
			default: 'Incremental',
			options: publishTypeOptions,
			description:
				'Incremental publishes what changed since the last publish (the default in Dynamic Media Classic); Full publishes everything',
			displayOptions: { show: { publishTarget: ['imageServing'] } },
		},
		emailSettingField,
		...submitFields,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [...commonOptions, startTimeOption],
		},
	],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const { client, problem, settings } = await setUpSubmit(this);
	const { outputField, watcher } = settings;
	const phases = new Map<number, ItemPhase>();
	const credentialName = node.credentials?.ipsApi?.name;
	const workflowId = this.getWorkflow().id;
	const executionId = this.getExecutionId();
	const action = (itemIndex: number) => `publish for item ${itemIndex}`;
	const work = async (itemIndex: number, releaseSlot: () => void) => {
		if (!client) throw problem;
		const { json, binary } = items[itemIndex];
		phases.set(itemIndex, 'lookup');
		const companyHandle = handleOf(this, 'companyHandle', itemIndex);
		const target = this.getNodeParameter(
			'publishTarget',
			itemIndex,
			'imageServing',
		) as PublishTarget;
		const publishType = this.getNodeParameter(
			'publishType',
			itemIndex,
			'Incremental',
		) as PublishType;
		const emailSetting = this.getNodeParameter('emailSetting', itemIndex, 'None') as EmailSetting;
		const execTime = startTimeOf(this, itemIndex);
		const waitingSinceMs = Date.now();
		const skipped = await publishGuard(
			client,
			companyHandle,
			settings,
			`item ${itemIndex}`,
			waitingSinceMs,
		);
		if (skipped)
			return { json: withField(json, outputField, { ...skipped, companyHandle }), binary };
		const submitted = await submitOnce(
			client,
			settings,
			{
				companyHandle,
				jobName: uniqueJobName(workflowId, executionId, itemIndex),
				execTime,
				publish: { target, publishType, emailSetting },
			},
			'publish',
			(phase) => phases.set(itemIndex, phase),
			waitingSinceMs,
		);
		const job = {
			companyHandle,
			jobName: submitted.jobName,
			jobHandle: submitted.jobHandle,
			submittedAt: submitted.submittedAt,
			startTime: execTime?.toISOString() ?? null,
			...(submitted.foundAfterFailedAnswer ? { message: submitted.foundAfterFailedAnswer } : {}),
		};
		if (!submitted.follow) {
			phases.delete(itemIndex);
			return { json: withField(json, outputField, { status: 'submitted', ...job }), binary };
		}
		phases.set(itemIndex, 'follow');
		releaseSlot();
		const ended = await withProblems(client, await submitted.follow());
		phases.delete(itemIndex);
		const message = ended.message ?? job.message;
		const run = { ...ended, ...job, ...(message ? { message } : {}) };
		if (settings.failOnJobErrors && run.status === 'failed')
			throw jobRunFailed(node, run, itemIndex, outputField);
		return { json: withField(json, outputField, run), binary };
	};
	try {
		return await runPerItem(this, items.length, work, {
			// One after another: the guard of an item sees the publish the item before it submitted.
			concurrency: 1,
			signal: settings.signal,
			toError: (thrown, itemIndex) =>
				toItemError(
					node,
					thrown,
					itemIndex,
					submitErrorContext(phases.get(itemIndex) ?? 'lookup', action(itemIndex), credentialName),
				),
			onFirstFailure: (error) => watcher?.stop(error),
		});
	} catch (error) {
		throw withRunsLeftGoing(error, phases);
	}
}
