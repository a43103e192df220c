// The largest strategy file GenTrade imports. The engine refuses files over 1024 KB too; refusing
// earlier spares the download (or the local read) and the engine. Big enough for the large community
// strategies (NostalgiaForInfinity's variants run to a few hundred KB).
export const MAX_IMPORT_BYTES = 1024 * 1024;
