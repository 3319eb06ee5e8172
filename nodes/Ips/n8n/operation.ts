// Runs one operation of the IPS node over every input item: the client from the credential, the
// role check, one call per item with bounded parallelism, and errors mapped in one place.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { IpsClient } from '../ips/IpsClient';
import { isRoleAllowed } from '../ips/roles';
import { ipsClientFor } from './client';
import { credentialRole } from './credentials';
import { SideEffect, toItemError } from './errors';
import { retryOnFailProblem } from './parameters';
import { ItemOutcome, runPerItem } from './perItem';

/** Items sent at once by the IPS node's operations (reads and changes alike). */
export const OPERATION_PARALLEL_REQUESTS = 4;

export interface OperationSpec {
	/** The IPS operation it calls, for messages. */
	ipsOperation: string;
	sideEffect: SideEffect;
	/** The user types the reference allows; undefined = every signed-in user. */
	roles?: readonly string[];
	/** What the item asked for, in words, for error messages: "stop the job run of item 0". */
	action: (itemIndex: number) => string;
	work: (client: IpsClient, itemIndex: number) => Promise<ItemOutcome | ItemOutcome[]>;
}

/**
 * The client for an operation's items, or the problem every item fails with before anything is
 * sent: Retry On Fail on an operation that starts jobs, a credential that cannot work, or a role the
 * reference does not allow.
 */
export async function clientOrProblem(
	context: IExecuteFunctions,
	spec: Pick<OperationSpec, 'ipsOperation' | 'sideEffect' | 'roles'> & {
		/** What the role may not do, in words (default: "use <operation>"). */
		deniedAction?: string;
		requestTimeoutMs?: number;
	},
): Promise<{ client: IpsClient; problem?: undefined } | { client?: undefined; problem: unknown }> {
	const node = context.getNode();
	// Only a start may not be repeated: Retry On Fail is refused for it alone.
	const refusal = spec.sideEffect === 'start' ? retryOnFailProblem(node) : undefined;
	if (refusal) return { problem: refusal };
	return await ipsClientFor(context, {
		signal: context.getExecutionCancelSignal(),
		requestTimeoutMs: spec.requestTimeoutMs,
	}).then(
		({ client, credential }) => {
			const role = credentialRole(credential);
			if (isRoleAllowed(role, spec.roles)) return { client };
			const problem = new NodeOperationError(
				node,
				`The IPS API credential's role "${role}" may not ${spec.deniedAction ?? `use ${spec.ipsOperation}`}`,
				{
					description: `Nothing was sent to IPS. Roles that may: ${(spec.roles ?? []).join(', ')}. Set the credential's Role to the account's role in IPS, or use an account with one of these roles.`,
				},
			);
			return { problem };
		},
		(problem: unknown) => ({ problem }),
	);
}

export async function runOperation(
	context: IExecuteFunctions,
	spec: OperationSpec,
): Promise<INodeExecutionData[]> {
	const node = context.getNode();
	const signal = context.getExecutionCancelSignal();
	const setup = await clientOrProblem(context, spec);
	const credentialName = node.credentials?.ipsApi?.name;
	const { client, problem } = setup;
	return await runPerItem(
		context,
		context.getInputData().length,
		async (itemIndex) => {
			if (!client) throw problem;
			return await spec.work(client, itemIndex);
		},
		{
			concurrency: OPERATION_PARALLEL_REQUESTS,
			signal,
			toError: (thrown, itemIndex) =>
				toItemError(node, thrown, itemIndex, {
					operation: spec.ipsOperation,
					phase: 'send',
					sideEffect: spec.sideEffect,
					action: spec.action(itemIndex),
					credentialName,
				}),
		},
	);
}
