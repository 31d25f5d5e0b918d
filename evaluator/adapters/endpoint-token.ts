/** Binds an encrypted endpoint token to its model, so a ciphertext copied to another row does not decrypt. */
export const endpointTokenContext = (teamId: number, modelName: string) => `endpoint-token:team-${teamId}:${modelName}`;
